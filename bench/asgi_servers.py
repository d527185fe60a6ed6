#!/usr/bin/env python3
"""Compare ASGI servers for Mission Commons by measurement.

For each server (uvicorn `--ws websockets`, uvicorn defaults, daphne) this
script starts one process on a free 127.0.0.1 port with the same DATA_DIR,
waits for GET /health, and measures:

1. HTTP: throughput and latency p50/p95/p99 on GET /health and GET / (the
   Wagtail home page), concurrency 32, 10 s each after a 2 s warm-up. The load
   generator is `wrk` when it is on PATH (one thread, keep-alive connections,
   percentiles taken from wrk's own histogram by a small Lua `done` hook);
   otherwise a built-in asyncio raw-socket HTTP/1.1 keep-alive client (32
   coroutines, one connection each). The table says which one ran.
2. WebSocket: opens N (default 1,000) connections to /ws/live/ with
   `Origin: http://127.0.0.1:<port>` (at most 100 handshakes in flight at a
   time), times how long opening them all takes, then every connection sends
   {"type":"ping"} at the same moment and awaits {"type":"pong"}; the
   round-trip p50/p95/max is pooled over 3 such rounds.
3. Memory: the server's VmRSS from /proc/<pid>/status at start, after the HTTP
   runs, with the N WebSockets still open, and after they are closed.

Then it stops the server (SIGTERM, then SIGKILL) and prints Markdown tables.

Run from the repository root with the project's virtualenv, on a prepared
data dir:

    export DATA_DIR=$(mktemp -d)
    .venv/bin/python manage.py migrate --noinput
    .venv/bin/python manage.py setup_site
    .venv/bin/python bench/asgi_servers.py            # ~2-3 minutes

Options: --servers NAME[,NAME], --duration, --concurrency, --ws-connections,
--ws-compression {deflate,none}, --loadgen {auto,wrk,python}, --json PATH.
Dependencies: stdlib + websockets (+ wrk if installed: apt-get install wrk).
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

from websockets.asyncio.client import connect as ws_connect

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
APP = "cms.asgi:application"
CLK_TCK = os.sysconf("SC_CLK_TCK")

# name -> (description, argv builder). Access logs are off for every server so
# that none of them pays for writing a line per request (uvicorn logs access by
# default, daphne does at its default verbosity 1).
SERVERS = {
    "uvicorn-ws-websockets": (
        "uvicorn --ws websockets (legacy ws impl, `make run` before 012dcdb; http/loop = auto = httptools/uvloop)",
        lambda port: [sys.executable, "-m", "uvicorn", APP, "--host", HOST, "--port", str(port),
                      "--ws", "websockets", "--no-access-log"],
    ),
    "uvicorn-defaults": (
        "uvicorn defaults (httptools, uvloop, ws auto = websockets-sansio; `make run` and Dockerfile)",
        lambda port: [sys.executable, "-m", "uvicorn", APP, "--host", HOST, "--port", str(port),
                      "--no-access-log"],
    ),
    "daphne": (
        "daphne single process (Twisted asyncio reactor, autobahn WebSockets)",
        lambda port: [sys.executable, "-m", "daphne", "-b", HOST, "-p", str(port), "-v", "0", APP],
    ),
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def raise_fd_limit() -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


# --- /proc -------------------------------------------------------------------
def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


# --- server lifecycle ----------------------------------------------------------
class Server:
    def __init__(self, name: str, argv: list[str], port: int, log_path: Path):
        self.name, self.argv, self.port, self.log_path = name, argv, port, log_path
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, stdout=self.log_file, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        url = f"http://{HOST}:{self.port}/health"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        return
            except (TimeoutError, urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /health within {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "log_file", None):
            self.log_file.close()


# --- HTTP load: wrk ------------------------------------------------------------------
WRK_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\"requests\":%d,\"duration_us\":%d,\"bytes\":%d,\"err_connect\":%d,\"err_read\":%d," ..
    "\"err_write\":%d,\"err_status\":%d,\"err_timeout\":%d,\"p50_us\":%d,\"p95_us\":%d,\"p99_us\":%d," ..
    "\"max_us\":%d,\"mean_us\":%.1f}\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""


def wrk_version(wrk: str) -> str:
    out = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout
    return out.splitlines()[0].strip() if out else "wrk"


def run_wrk(wrk: str, lua: str, url: str, concurrency: int, duration: float) -> dict:
    argv = [wrk, "-t1", f"-c{concurrency}", f"-d{int(duration)}s", "--timeout", "10s", "-s", lua, url]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 30).stdout
    m = re.search(r"^WRKJSON (\{.*\})$", out, re.M)
    if not m:
        raise RuntimeError(f"wrk produced no summary:\n{out}")
    d = json.loads(m.group(1))
    secs = d["duration_us"] / 1e6
    errors = d["err_connect"] + d["err_read"] + d["err_write"] + d["err_timeout"]
    return {
        "requests": d["requests"], "rps": d["requests"] / secs, "p50_ms": d["p50_us"] / 1000,
        "p95_ms": d["p95_us"] / 1000, "p99_ms": d["p99_us"] / 1000, "max_ms": d["max_us"] / 1000,
        "errors": errors, "non_2xx": d["err_status"], "seconds": secs,
    }


# --- HTTP load: built-in fallback (asyncio raw sockets, HTTP/1.1 keep-alive) ------------
async def _py_worker(path: str, port: int, stop_at: float, lat: list, counters: dict) -> None:
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: bench\r\n\r\n".encode()
    reader = writer = None
    while time.monotonic() < stop_at:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(HOST, port)
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if m:
                await reader.readexactly(int(m.group(1)))
            else:  # this app always sends Content-Length; treat anything else as close-delimited
                await reader.read()
                writer.close()
                writer = None
            lat.append(time.perf_counter() - t0)
            if not 200 <= status < 300:
                counters["non_2xx"] += 1
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            counters["errors"] += 1
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


async def _py_load(url_path: str, port: int, concurrency: int, duration: float) -> dict:
    lat: list[float] = []
    counters = {"errors": 0, "non_2xx": 0}
    t0 = time.monotonic()
    await asyncio.gather(*(_py_worker(url_path, port, t0 + duration, lat, counters) for _ in range(concurrency)))
    secs = time.monotonic() - t0
    lat.sort()
    return {
        "requests": len(lat), "rps": len(lat) / secs, "p50_ms": percentile(lat, 50) * 1000,
        "p95_ms": percentile(lat, 95) * 1000, "p99_ms": percentile(lat, 99) * 1000,
        "max_ms": (lat[-1] * 1000) if lat else float("nan"), "seconds": secs, **counters,
    }


def http_load(loadgen: dict, port: int, path: str, concurrency: int, duration: float) -> dict:
    if loadgen["kind"] == "wrk":
        return run_wrk(loadgen["wrk"], loadgen["lua"], f"http://{HOST}:{port}{path}", concurrency, duration)
    return asyncio.run(_py_load(path, port, concurrency, duration))


# --- WebSocket phase ---------------------------------------------------------------
async def ws_phase(port: int, n: int, rounds: int, compression: str | None, server_pid: int,
                   connect_concurrency: int = 100) -> dict:
    uri = f"ws://{HOST}:{port}/ws/live/"
    origin = f"http://{HOST}:{port}"
    sem = asyncio.Semaphore(connect_concurrency)
    open_errors: list[str] = []

    async def open_one():
        async with sem:
            try:
                return await ws_connect(uri, origin=origin, compression=compression, ping_interval=None,
                                        open_timeout=30, close_timeout=5, max_queue=16)
            except Exception as exc:  # noqa: BLE001 - count every failure kind
                open_errors.append(type(exc).__name__)
                return None

    t0 = time.perf_counter()
    conns = [c for c in await asyncio.gather(*(open_one() for _ in range(n))) if c is not None]
    open_seconds = time.perf_counter() - t0
    deflate = sum(1 for c in conns if "permessage-deflate" in (c.response.headers.get("Sec-WebSocket-Extensions") or ""))

    rtts: list[float] = []
    ping_errors = 0

    async def ping(conn):
        nonlocal ping_errors
        try:
            t = time.perf_counter()
            await conn.send('{"type":"ping"}')
            while True:
                msg = json.loads(await asyncio.wait_for(conn.recv(), timeout=30))
                if msg.get("type") == "pong":
                    rtts.append(time.perf_counter() - t)
                    return
        except Exception:  # noqa: BLE001
            ping_errors += 1

    round_seconds = []
    for _ in range(rounds):
        t = time.perf_counter()
        await asyncio.gather(*(ping(c) for c in conns))
        round_seconds.append(time.perf_counter() - t)
        await asyncio.sleep(0.2)

    await asyncio.sleep(1.0)  # let the server settle before reading its memory
    rss_open = rss_mib(server_pid)

    await asyncio.gather(*(c.close() for c in conns), return_exceptions=True)
    await asyncio.sleep(2.0)
    rss_closed = rss_mib(server_pid)

    rtts.sort()
    return {
        "requested": n, "opened": len(conns), "open_errors": len(open_errors),
        "open_error_kinds": sorted(set(open_errors)), "open_seconds": open_seconds,
        "deflate_negotiated": deflate, "rounds": rounds, "pings_ok": len(rtts), "ping_errors": ping_errors,
        "rtt_p50_ms": percentile(rtts, 50) * 1000, "rtt_p95_ms": percentile(rtts, 95) * 1000,
        "rtt_max_ms": (rtts[-1] * 1000) if rtts else float("nan"),
        "round_seconds": round_seconds, "rss_ws_open_mib": rss_open, "rss_after_close_mib": rss_closed,
    }


# --- one server ----------------------------------------------------------------------
def bench_server(name: str, args, loadgen: dict, logdir: Path) -> dict:
    desc, build = SERVERS[name]
    port = free_port()
    server = Server(name, build(port), port, logdir / f"{name}.log")
    log(f"{name}: starting on port {port}: {' '.join(server.argv[1:])}")
    result: dict = {"server": name, "description": desc, "argv": " ".join(server.argv[2:])}
    try:
        server.start()
        pid = server.proc.pid
        time.sleep(1.0)
        result["rss_start_mib"] = rss_mib(pid)
        result["http"] = {}
        for path in ("/health", "/"):
            log(f"{name}: warm-up GET {path} ({args.warmup}s)")
            http_load(loadgen, port, path, args.concurrency, args.warmup)
            log(f"{name}: GET {path}, c={args.concurrency}, {args.duration}s")
            cpu0 = cpu_seconds(pid)
            r = http_load(loadgen, port, path, args.concurrency, args.duration)
            r["server_cpu_s"] = cpu_seconds(pid) - cpu0
            result["http"][path] = r
            log(f"{name}: GET {path}: {r['rps']:.0f} req/s p50 {r['p50_ms']:.1f} ms p99 {r['p99_ms']:.1f} ms")
        result["rss_after_http_mib"] = rss_mib(pid)
        log(f"{name}: WebSocket phase, {args.ws_connections} connections")
        cpu0 = cpu_seconds(pid)
        ws = asyncio.run(ws_phase(port, args.ws_connections, args.ws_rounds,
                                  None if args.ws_compression == "none" else "deflate", pid))
        ws["server_cpu_s"] = cpu_seconds(pid) - cpu0
        result["ws"] = ws
        log(f"{name}: opened {ws['opened']}/{ws['requested']} in {ws['open_seconds']:.2f}s; "
            f"rtt p50 {ws['rtt_p50_ms']:.1f} ms max {ws['rtt_max_ms']:.1f} ms; RSS {ws['rss_ws_open_mib']:.1f} MiB")
        if server.proc.poll() is not None:
            result["error"] = f"server exited during the run ({server.proc.returncode})"
    except Exception as exc:  # noqa: BLE001 - report and carry on with the next server
        result["error"] = f"{type(exc).__name__}: {exc}"
        log(f"{name}: FAILED: {result['error']}")
    finally:
        server.stop()
    return result


# --- output ----------------------------------------------------------------------------
def versions(loadgen: dict) -> dict:
    def v(pkg):
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "-"

    out = {"python": platform.python_version(), "kernel": platform.release(), "cpus": os.cpu_count(),
           "loadgen": loadgen["label"]}
    for pkg in ("uvicorn", "httptools", "uvloop", "websockets", "daphne", "twisted", "autobahn",
                "django", "channels", "wagtail"):
        out[pkg] = v(pkg)
    return out


def fmt(x, nd=1):
    return "-" if x is None or x != x else f"{x:,.{nd}f}"


def markdown(results: list[dict], meta: dict, args) -> str:
    lines = [
        f"Load generator: {meta['loadgen']}; HTTP c={args.concurrency}, {args.duration}s per URL after "
        f"{args.warmup}s warm-up; WebSockets: {args.ws_connections} connections, compression offered: "
        f"{args.ws_compression}, {args.ws_rounds} ping rounds.",
        f"Machine: {meta['cpus']} CPUs, Linux {meta['kernel']}, Python {meta['python']}; client and server on "
        "the same machine.",
        "",
        "| Server | /health req/s | /health p50 / p95 / p99 ms | / req/s | / p50 / p95 / p99 ms "
        "| WS open 1k s | WS RTT p50 / p95 / max ms | RSS start / after HTTP / 1k WS open / closed MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if "error" in r and "ws" not in r:
            lines.append(f"| {r['server']} | failed: {r['error']} |||||||")
            continue
        h, p, w = r["http"]["/health"], r["http"]["/"], r["ws"]
        lines.append(
            f"| {r['server']} | {fmt(h['rps'], 0)} | {fmt(h['p50_ms'])} / {fmt(h['p95_ms'])} / {fmt(h['p99_ms'])} "
            f"| {fmt(p['rps'], 0)} | {fmt(p['p50_ms'])} / {fmt(p['p95_ms'])} / {fmt(p['p99_ms'])} "
            f"| {fmt(w['open_seconds'], 2)} | {fmt(w['rtt_p50_ms'])} / {fmt(w['rtt_p95_ms'])} / {fmt(w['rtt_max_ms'])} "
            f"| {fmt(r['rss_start_mib'])} / {fmt(r['rss_after_http_mib'])} / {fmt(w['rss_ws_open_mib'])} "
            f"/ {fmt(w['rss_after_close_mib'])} |"
        )
    lines += [
        "",
        "| Server | errors (HTTP /health, /) | non-2xx | server CPU s during /health, / | "
        "WS opened / failed | deflate negotiated | pongs / failed | server CPU s (WS phase) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if "ws" not in r:
            continue
        h, p, w = r["http"]["/health"], r["http"]["/"], r["ws"]
        lines.append(
            f"| {r['server']} | {h['errors']}, {p['errors']} | {h['non_2xx']}, {p['non_2xx']} "
            f"| {fmt(h['server_cpu_s'])}, {fmt(p['server_cpu_s'])} | {w['opened']} / {w['open_errors']} "
            f"| {w['deflate_negotiated']} | {w['pings_ok']} / {w['ping_errors']} | {fmt(w['server_cpu_s'])} |"
        )
    lines += ["", "Commands (port chosen at run time):", ""]
    lines += [f"- {r['server']}: `{r['argv']}`" for r in results]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--servers", default=",".join(SERVERS), help="comma-separated subset of: " + ", ".join(SERVERS))
    ap.add_argument("--duration", type=float, default=10, help="seconds per HTTP run (max 20)")
    ap.add_argument("--warmup", type=float, default=2, help="seconds of warm-up before each HTTP run")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--ws-connections", type=int, default=1000)
    ap.add_argument("--ws-rounds", type=int, default=3)
    ap.add_argument("--ws-compression", choices=("deflate", "none"), default="deflate",
                    help="offer permessage-deflate like browsers do (default) or not")
    ap.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    ap.add_argument("--json", type=Path, help="also write the raw results here")
    args = ap.parse_args()
    args.duration = min(args.duration, 20)
    args.warmup = min(args.warmup, 20)
    names = [n.strip() for n in args.servers.split(",") if n.strip()]
    unknown = [n for n in names if n not in SERVERS]
    if unknown:
        ap.error(f"unknown server(s): {', '.join(unknown)}")

    if not os.environ.get("DATA_DIR"):
        ap.error("set DATA_DIR to a migrated data dir (see the module docstring)")
    soft, hard = raise_fd_limit()
    log(f"fd limit now {soft} (hard {hard}); DATA_DIR={os.environ['DATA_DIR']}")
    if soft < args.ws_connections + 200:
        log(f"warning: fd limit {soft} may be too low for {args.ws_connections} WebSockets")

    wrk = shutil.which("wrk")
    tmp = Path(tempfile.mkdtemp(prefix="asgi-bench-"))
    if args.loadgen == "wrk" and not wrk:
        ap.error("wrk not found (apt-get install -y wrk)")
    if wrk and args.loadgen != "python":
        lua = tmp / "summary.lua"
        lua.write_text(WRK_LUA)
        loadgen = {"kind": "wrk", "wrk": wrk, "lua": str(lua), "label": f"{wrk_version(wrk)}, 1 thread"}
    else:
        loadgen = {"kind": "python", "label": "built-in asyncio raw-socket HTTP/1.1 keep-alive client"}

    meta = versions(loadgen)
    log("versions: " + ", ".join(f"{k} {v}" for k, v in meta.items()))
    log(f"server logs in {tmp}")
    results = [bench_server(name, args, loadgen, tmp) for name in names]

    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "args": vars(args) | {"json": str(args.json)},
                                         "results": results}, indent=2, default=str))
    print(markdown(results, meta, args))
    print("\nVersions: " + ", ".join(f"{k} {v}" for k, v in meta.items() if k not in ("loadgen",)))
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
