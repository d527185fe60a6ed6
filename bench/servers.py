"""ASGI servers and the page cache, measured in one run (issue #27):
`python -m cms.serve` (ours: uvicorn, a SO_REUSEPORT socket per worker)
against gunicorn with uvicorn-worker's UvicornWorker, granian (ASGI
interface) and hypercorn, each with 2 worker processes, each with the page
cache on and off. docs/asgi-server.md and docs/benchmarks.md hold the
figures; this is how to make them again:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mc_servers \\
    REDIS_URL=redis://127.0.0.1:6379/8 \\
    python -m bench.servers --out /tmp/servers.json --md /tmp/servers.md

The database of DATABASE_URL is DROPPED and made again (without it: a
SQLite file in a temporary folder); --from FOLDER starts it from a copy of
what `python -m bench.suite --prepare FOLDER` migrated. Data: bench/suite.py's seed at a small
size (one call of --ideas ideas, each supported by --voters people, an idea
with --comments comments). Then --rounds rounds; each round starts every
configuration (server x page cache) in turn, every second round in the
reverse order of the one before (order_for_round), so that load from others
on the machine falls on all alike, and for each one:

1. HTTP (bench/loadgen.py, --connections keep-alive connections, at most
   --seconds each, after a short warm-up): the bare view (bench/urls_bench.py,
   the baseline), the call page (most supported) and the idea page signed
   out, and the API's GET /api/v1/ideas/<id>. Each page's X-Page-Cache
   answer after the warm-up is recorded ("hit" with the cache on, "bypass"
   off), so the flag is shown to have reached the server. CPU seconds of
   each worker over the HTTP phase show how the server spread the load.
2. WebSocket (page cache on only: the socket does not use it): --ws sockets
   open /ws/live/ and subscribe to the call's topic (timed), then --events
   votes are posted 0.6 s apart (each the first after a quiet spell, so the
   tally goes out at once: live/events.py) and the time from the POST to
   each socket's tally event is pooled.
3. VmRSS of each worker and of the parent after the run.

Every server listens on 127.0.0.1 only and is stopped (SIGTERM, then
SIGKILL of its process group) before the next starts. The figures are
written as JSON (--out) and as Markdown tables of medians over the rounds
(--md, or stdout).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import math
import os
import platform
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from websockets.asyncio.client import connect as ws_connect

from bench import loadgen, suite

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
APP = "cms.asgi:application"
BIN = Path(sys.executable).parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
WORKERS = 2
PROXY = {"X-Forwarded-Proto": "https"}


def _cms_serve(port):
    return [sys.executable, "-m", "cms.serve", APP, "--host", HOST, "--port", str(port), "--workers", str(WORKERS),
            "--no-access-log", "--ws-per-message-deflate", "false", "--ws-max-size", "65536"]


def _gunicorn(port):
    return [sys.executable, "-m", "gunicorn", "-k", "uvicorn_worker.UvicornWorker", "-w", str(WORKERS),
            "-b", f"{HOST}:{port}", "--graceful-timeout", "10", APP]


def _granian(port):
    return [str(BIN / "granian"), "--interface", "asgi", "--host", HOST, "--port", str(port),
            "--workers", str(WORKERS), APP]


def _hypercorn(port):
    return [str(BIN / "hypercorn"), "-w", str(WORKERS), "-k", "uvloop", "-b", f"{HOST}:{port}", APP]


# name -> (how it runs, argv builder). No server writes an access log (gunicorn, granian and hypercorn
# log none by default; cms.serve is told not to).
SERVERS = {
    "cms.serve": ("python -m cms.serve --workers 2 (uvicorn, httptools, uvloop; a SO_REUSEPORT socket per worker)",
                  _cms_serve),
    "gunicorn-uvicorn": (("gunicorn -k uvicorn_worker.UvicornWorker -w 2 (uvicorn's protocol in gunicorn's "
                          "pre-fork workers, one shared socket)"), _gunicorn),
    "granian": ("granian --interface asgi --workers 2 (Rust HTTP and WebSocket, Python app on its loop)",
                _granian),
    "hypercorn": ("hypercorn -w 2 -k uvloop (h11/wsproto in Python, one shared socket)", _hypercorn),
}
PACKAGES = ("uvicorn", "uvicorn-worker", "gunicorn", "granian", "hypercorn", "httptools", "uvloop", "h11",
            "wsproto", "websockets", "django", "channels", "channels_redis", "wagtail", "psycopg")
ENDPOINTS = ("bare", "call", "idea", "api")


def log(message):
    print(f"[servers {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values, p):
    return loadgen.percentile(sorted(values), p)


def configuration_env(base, name, page_cache):
    """The environment of one configuration's server: its own cache prefix
    (a page cached under another server is never served) and the page
    cache switched as asked."""
    return {**base, "PAGE_CACHE_ENABLED": "true" if page_cache else "false",
            "BENCH_KEY_PREFIX": f"{base['BENCH_KEY_PREFIX']}-{name}-{'on' if page_cache else 'off'}"}


def order_for_round(configurations, n):
    """Round n's order: rounds go in pairs, the second the first reversed
    (A B C D, then D C B A), so every configuration has the same mean place
    in the pair and load that rises or falls over the run falls on all
    alike; each pair starts one configuration further on."""
    k = (n // 2) % len(configurations)
    rotated = configurations[k:] + configurations[:k]
    return rotated[::-1] if n % 2 else rotated


# --- processes --------------------------------------------------------------------------------------


def descendants(pid):
    out = []
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(p) for p in f.read().split()]
    except OSError:
        return out
    for child in children:
        out.append(child)
        out += descendants(child)
    return out


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return float("nan")


class Server:
    def __init__(self, name, env, log_path):
        self.name = name
        self.port = suite.free_port()
        self.env = env
        self.log_path = log_path
        self.argv = SERVERS[name][1](self.port)

    def workers(self):
        """The worker processes (multiprocessing's resource tracker is not one)."""
        return [p for p in descendants(self.proc.pid) if "resource_tracker" not in suite._cmdline(p)]

    def start(self, timeout=120):
        self.logf = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=self.logf, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        healthy = 0
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-3000:]}")
            try:
                status, _headers = request(self.port, "GET", "/health")
                healthy += status == 200
            except OSError:
                time.sleep(0.3)
                continue
            if healthy >= 4 * WORKERS and len(self.workers()) >= WORKERS:
                return
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not become healthy: {self.log_path.read_text()[-3000:]}")

    def stop(self):
        if not hasattr(self, "proc"):
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # workers a parent left behind
        except ProcessLookupError:
            pass
        self.proc.wait(10)
        self.logf.close()


def request(port, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request(method, path, body=body, headers={**PROXY, **(headers or {})})
        response = conn.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


# --- one configuration ----------------------------------------------------------------------------


def measure_http(server, paths, args):
    out = {}
    workers = server.workers()
    cpu_before = {p: cpu_seconds(p) for p in workers}
    for endpoint in ENDPOINTS:
        path = paths[endpoint]
        headers = {**PROXY, "Accept": "application/json"} if endpoint == "api" else PROXY
        loadgen.run(server.port, loadgen.get(path, headers), connections=args.connections,
                    max_requests=4 * args.connections, max_seconds=10)  # warm-up: every worker, the cache filled
        _status, answer = request(server.port, "GET", path, headers)
        result = loadgen.run(server.port, loadgen.get(path, headers), connections=args.connections,
                             max_requests=args.requests, max_seconds=args.seconds)
        result["page_cache"] = answer.get("x-page-cache", "-")
        out[endpoint] = result
        log(f"  {endpoint:5} {result['rps']:7.1f}/s  p50 {result['p50_ms']:6.1f}  p95 {result['p95_ms']:6.1f}  "
            f"p99 {result['p99_ms']:6.1f} ms  {result['status']}  X-Page-Cache {result['page_cache']}")
    cpu = [cpu_seconds(p) - cpu_before[p] for p in workers]
    return out, cpu


async def _open(port, topic, n, concurrency):
    gate = asyncio.Semaphore(concurrency)
    origin = f"http://{HOST}:{port}"

    async def one():
        async with gate:
            ws = await ws_connect(f"ws://{HOST}:{port}/ws/live/", origin=origin, compression=None,
                                  open_timeout=30, max_size=2**20)
            await ws.send(json.dumps({"type": "subscribe", "topic": topic}))
            while json.loads(await asyncio.wait_for(ws.recv(), 30)).get("type") != "subscribed":
                pass
            return ws

    return await asyncio.gather(*(one() for _ in range(n)), return_exceptions=True)


async def _tally(ws, topic):
    while True:
        message = json.loads(await ws.recv())
        if message.get("type") == "event" and message.get("topic") == topic and message.get("event") == "tally":
            return time.perf_counter()


async def measure_ws(port, call_id, idea_id, voter, args):
    """Open args.ws sockets on the call's topic, then post args.events votes
    and time each socket's tally event from the POST."""
    topic = f"call:{call_id}"
    started = time.perf_counter()
    opened = await _open(port, topic, args.ws, concurrency=50)
    open_s = time.perf_counter() - started
    sockets = [ws for ws in opened if not isinstance(ws, BaseException)]
    errors = sorted({type(ws).__name__ for ws in opened if isinstance(ws, BaseException)})
    latencies, missed, statuses = [], 0, {}
    for _ in range(args.events):
        await asyncio.sleep(0.6)  # longer than the tally window: this vote's tally goes out at once
        waiting = [asyncio.ensure_future(_tally(ws, topic)) for ws in sockets]
        body = b"value=support" + (b"&action=remove" if voter["supports"] else b"")
        sent = time.perf_counter()
        status, _ = await asyncio.to_thread(request, port, "POST", f"/ideas/{idea_id}/vote/", {
            "Origin": f"https://{HOST}:{port}", "Accept": "application/json", "X-CSRFToken": voter["csrf"],
            "Cookie": voter["cookie"], "Content-Type": "application/x-www-form-urlencoded"}, body)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if status == 200:
            voter["supports"] = not voter["supports"]
        done, pending = await asyncio.wait(waiting, timeout=10)
        latencies += [(t.result() - sent) * 1000 for t in done if t.exception() is None]
        missed += len(pending) + sum(1 for t in done if t.exception() is not None)
        for t in pending:
            t.cancel()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return {"requested": args.ws, "opened": len(sockets), "open_errors": errors, "open_s": open_s,
            "events": args.events, "vote_status": statuses, "delivered": len(latencies), "missed": missed,
            "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "max_ms": max(latencies) if latencies else float("nan")}


def run_configuration(name, page_cache, env, paths, data, voter, args, workdir, n_round):
    label = f"{name} cache {'on' if page_cache else 'off'}"
    server = Server(name, configuration_env(env, name, page_cache), workdir / f"{name}-{page_cache}-{n_round}.log")
    log(f"round {n_round + 1}: {label}: {' '.join(server.argv[1:])}")
    result = {"server": name, "page_cache": page_cache, "round": n_round}
    started = time.monotonic()
    try:
        server.start()
        result["start_s"] = time.monotonic() - started
        result["http"], result["worker_cpu_s"] = measure_http(server, paths, args)
        if page_cache and args.ws:
            result["ws"] = asyncio.run(measure_ws(server.port, data["call"].pk, data["hot"], voter, args))
            ws = result["ws"]
            log(f"  ws: {ws['opened']}/{ws['requested']} open in {ws['open_s']:.2f} s; tally to every socket p50 "
                f"{ws['p50_ms']:.1f} p95 {ws['p95_ms']:.1f} max {ws['max_ms']:.1f} ms, missed {ws['missed']}, "
                f"votes {ws['vote_status']}")
        result["worker_rss_mb"] = [suite.rss_mb(p) for p in server.workers()]
        result["parent_rss_mb"] = suite.rss_mb(server.proc.pid)
        log(f"  RSS workers {', '.join(f'{r:.0f}' for r in result['worker_rss_mb'])} MB, parent "
            f"{result['parent_rss_mb']:.0f} MB; worker CPU s {', '.join(f'{c:.1f}' for c in result['worker_cpu_s'])}")
        if server.proc.poll() is not None:
            result["error"] = f"exited with {server.proc.returncode} during the run"
    finally:
        server.stop()
    return result


# --- the summary ---------------------------------------------------------------------------------------


def median(values):
    values = [v for v in values if isinstance(v, (int, float)) and not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def summarise(results):
    """Medians over the rounds, per (server, page cache)."""
    groups = {}
    for r in results:
        groups.setdefault((r["server"], r["page_cache"]), []).append(r)
    out = {}
    for key, rs in groups.items():
        s = {"rounds": len(rs), "http": {}}
        for endpoint in ENDPOINTS:
            runs = [r["http"][endpoint] for r in rs]
            s["http"][endpoint] = {k: median([x[k] for x in runs]) for k in ("rps", "p50_ms", "p95_ms", "p99_ms")}
            s["http"][endpoint]["rps_range"] = (min(x["rps"] for x in runs), max(x["rps"] for x in runs))
            s["http"][endpoint]["page_cache"] = sorted({x["page_cache"] for x in runs})
            s["http"][endpoint]["not_2xx"] = sum(x["requests"] - x["ok"] for x in runs)
        s["worker_rss_mb"] = median([max(r["worker_rss_mb"]) for r in rs])
        s["parent_rss_mb"] = median([r["parent_rss_mb"] for r in rs])
        s["cpu_share"] = median([min(r["worker_cpu_s"]) / max(r["worker_cpu_s"]) for r in rs
                                 if len(r["worker_cpu_s"]) == WORKERS and max(r["worker_cpu_s"]) > 0])
        s["start_s"] = median([r["start_s"] for r in rs])
        ws = [r["ws"] for r in rs if "ws" in r]
        if ws:
            s["ws"] = {k: median([w[k] for w in ws]) for k in ("open_s", "p50_ms", "p95_ms", "max_ms")}
            s["ws"]["opened"] = f"{sum(w['opened'] for w in ws)}/{sum(w['requested'] for w in ws)}"
            s["ws"]["delivered"] = f"{sum(w['delivered'] for w in ws)}/{sum(w['delivered'] + w['missed'] for w in ws)}"
        out[key] = s
    return out


def markdown(summary, meta):
    """Tables of medians over the rounds: every endpoint of every
    configuration beside its same-run bare view, then memory, balance and
    the WebSocket phase per configuration."""
    lines = [(f"`python -m bench.servers`, finished {meta['finished']}, commit {meta['commit']}, {meta['rounds']} "
              f"rounds; load average before {meta['loadavg_before']}, after {meta['loadavg_after']}."),
             "", "| Server | Page cache | Endpoint | X-Page-Cache | Requests/s (range) | x bare | p50 / p95 / p99 ms |",
             "|---|---|---|---|---:|---:|---:|"]
    for (server, cache), s in summary.items():
        bare = s["http"]["bare"]["rps"]
        for e in ENDPOINTS:
            h = s["http"][e]
            lo, hi = h["rps_range"]
            lines.append(f"| {server} | {'on' if cache else 'off'} | {e} | {'/'.join(h['page_cache'])} | "
                         f"{h['rps']:.1f} ({lo:.0f}–{hi:.0f}) | {h['rps'] / bare:.2f} | "
                         f"{h['p50_ms']:.0f} / {h['p95_ms']:.0f} / {h['p99_ms']:.0f} |")
    lines += ["", ("| Server | Page cache | Largest worker RSS MB | Parent RSS MB | Worker CPU, less busy / busier |"
                   " Start s | Sockets opened | Open s | Tallies delivered | Tally p50 / p95 / max ms |"),
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for (server, cache), s in summary.items():
        w = s.get("ws")
        ws = (f"{w['opened']} | {w['open_s']:.2f} | {w['delivered']} | {w['p50_ms']:.0f} / {w['p95_ms']:.0f} / "
              f"{w['max_ms']:.0f}") if w else "- | - | - | -"
        lines.append(f"| {server} | {'on' if cache else 'off'} | {s['worker_rss_mb']:.0f} | {s['parent_rss_mb']:.0f} | "
                     f"{s['cpu_share']:.2f} | {s['start_s']:.0f} | {ws} |")
    return "\n".join(lines) + "\n"


def report(path):
    """The Markdown of a saved run (--report): its summary, re-rendered."""
    saved = json.loads(Path(path).read_text())
    summary = {(s["server"], s["page_cache"]): s for s in saved["summary"]}
    return markdown(summary, saved["meta"])


def versions():
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "-"
    return out


# --- the run --------------------------------------------------------------------------------------------


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", default=",".join(SERVERS), help=f"some of {', '.join(SERVERS)}")
    parser.add_argument("--page-cache", default="on,off", help="on, off or on,off (each server with each)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--requests", type=int, default=3000, help="at most, per endpoint and configuration")
    parser.add_argument("--seconds", type=float, default=3.0, help="at most, per endpoint and configuration")
    parser.add_argument("--ws", type=int, default=200, help="sockets (0: no WebSocket phase)")
    parser.add_argument("--events", type=int, default=8, help="votes whose tally is timed")
    parser.add_argument("--ideas", type=int, default=2000)
    parser.add_argument("--voters", type=int, default=20)
    parser.add_argument("--comments", type=int, default=100)
    parser.add_argument("--out", help="JSON of every measurement (required unless --report)")
    parser.add_argument("--report", metavar="JSON", help="print the Markdown of a saved run, measure nothing")
    parser.add_argument("--md", help="Markdown summary (default: stdout)")
    parser.add_argument("--from", dest="template", metavar="FOLDER",
                        help="start from a copy of what `python -m bench.suite --prepare FOLDER` made (migrated, "
                             "static files collected) instead of migrating from nothing")
    args = parser.parse_args(argv)
    if not (args.out or args.report):
        parser.error("give --out (or --report)")
    args.servers = [s for s in args.servers.split(",") if s]
    unknown = set(args.servers) - set(SERVERS)
    if unknown:
        parser.error(f"unknown servers: {', '.join(sorted(unknown))}")
    modes = {"on": True, "off": False}
    if not args.page_cache or set(args.page_cache.split(",")) - set(modes):
        parser.error("--page-cache: on, off or on,off")
    args.page_cache = [modes[m] for m in args.page_cache.split(",")]
    return args


def main(argv=None):
    args = parse(argv)
    if args.report:
        print(report(args.report))
        return 0
    loadavg_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    workdir = Path(tempfile.mkdtemp(prefix="mc-servers-"))
    (workdir / "data").mkdir()
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url and not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must be PostgreSQL (or unset for SQLite)")
    env = suite.server_env(workdir)
    os.environ.update(env)
    rng = random.Random(27)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the running server on the way out
    try:
        from_template = suite.fresh_database(database_url, workdir / "data", args.template)
        import django

        django.setup()
        from django.conf import settings
        from django.db import connections

        log("migrate" + ("" if from_template else ", collectstatic") + ", seed")
        suite.migrate(from_template)
        size = {"ideas": args.ideas, "voters": args.voters, "comments": args.comments, "search_ideas": 0}
        data = suite.seed(size, rng)
        _reader, cookies, _pks = suite.sessions(1)
        csrf = secrets.token_hex(16)
        voter = {"cookie": f"{settings.SESSION_COOKIE_NAME}={cookies[0]}; {settings.CSRF_COOKIE_NAME}={csrf}",
                 "csrf": csrf, "supports": False}
        paths = {"bare": "/bench/bare", "call": data["call"].get_url() + "?sort=supported",
                 "idea": f"/ideas/{data['discussed']}/", "api": f"/api/v1/ideas/{data['hot']}"}
        db = suite.database_versions()
        connections.close_all()

        configurations = [(s, c) for s in args.servers for c in args.page_cache]
        results = []
        for n in range(args.rounds):
            for name, page_cache in order_for_round(configurations, n):
                results.append(run_configuration(name, page_cache, env, paths, data, voter, args, workdir, n))
    finally:
        try:
            for name in args.servers:
                for cache in args.page_cache:
                    suite.forget_redis_keys(configuration_env(env, name, cache)["BENCH_KEY_PREFIX"])
        except Exception as exc:  # noqa: BLE001 (the keys expire anyway)
            log(f"could not remove this run's Redis keys: {exc!r}")
    summary = summarise(results)
    meta = {"finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": suite.commit(),
            "rounds": args.rounds, "loadavg_before": loadavg_before,
            "loadavg_after": " ".join(f"{x:.2f}" for x in os.getloadavg()), "machine": suite.machine(),
            "versions": versions(), "database": db,
            "sizes": {"ideas": args.ideas, "votes": data["votes"], "comments": args.comments},
            "settings": {k: getattr(args, k) for k in ("connections", "requests", "seconds", "ws", "events")},
            "servers": {name: " ".join(SERVERS[name][1]("<port>")[1:]) for name in args.servers},
            "paths": paths}
    Path(args.out).write_text(json.dumps({"meta": meta, "results": results, "summary": [
        {"server": s, "page_cache": c, **v} for (s, c), v in summary.items()]}, indent=2) + "\n")
    text = markdown(summary, meta)
    if args.md:
        Path(args.md).write_text(text)
    else:
        print(text)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
