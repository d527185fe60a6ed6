#!/usr/bin/env python3
"""Live fan-out benchmark: tally events on one call topic to N WebSocket clients.

For each server ("ours" = cms.asgi with the per-process hub at /ws/live/,
"baseline" = bench/baseline_asgi.py, a plain Channels consumer per socket at
/ws/baseline/) and each N in --clients, the script:

1. copies a prepared data dir (migrate + load_demo + voter users with API
   tokens) to a fresh temp DATA_DIR, and starts one single-worker server:
   `uvicorn <app> --host 127.0.0.1 --port <free> --no-access-log` with
   DJANGO_SETTINGS_MODULE=bench.settings_fanout, which is cms.settings.dev
   (DEBUG, SQLite, in-memory channel layer, locmem cache) with the per-IP vote
   rate limit (300/min) lifted, since every vote comes from 127.0.0.1;
2. opens N WebSockets from --procs client processes, each an asyncio loop
   with N/procs raw-protocol WebSocket connections (at most --open-concurrency
   handshakes + subscribes in flight in total), Origin http://127.0.0.1:<port>;
   every socket sends {"type":"subscribe","topic":"call:<id>"} and waits for
   "subscribed";
3. sends votes over HTTP at a steady --rate for --duration seconds from the
   parent process (open loop, keep-alive connections, at most 64 in flight):
   POST /api/v1/ideas/<id>/vote with `Authorization: Bearer <token>`, or
   DELETE when that voter already supports that idea, so every request is a
   valid vote. Vote k goes to idea k mod I of the call, so each idea is its
   own tally stream (the TallyCoalescer sends at most one tally per idea per
   250 ms). Votes still unanswered --vote-grace (10 s) after the last slot
   are cancelled and counted as "timeout";
4. waits (at most --drain seconds) until every client has every event, and
   records, for every event at every client, latency = time.time() at
   receipt - message["at"] (the server's time.time() at publish; both run on
   this machine, so they share the clock).

Reported per run: latency p50/p95/max (events never received count as
infinitely late: "expected" = distinct event seqs seen x subscribed clients),
votes/s sustained (HTTP 200 responses / (last response - first send)),
messages received in total and per client, server RSS (VmRSS with the
sockets open, and VmHWM) and server CPU seconds (utime+stime from
/proc/<pid>/stat) for the connect phase and the vote+drain phase, plus the
client processes' CPU seconds. Client and server share the machine's cores.

Time bounds: voting lasts --duration (20 s) plus at most --vote-grace (10 s),
and the drain at most --drain (15 s), so each measured phase ends within
45 s. Opening the sockets is bounded separately by --open-timeout (90 s).
Sockets not subscribed by then are closed and reported as failed.

Servers run with the flags the Makefile and the Dockerfile use
(--ws-per-message-deflate false); --server-args replaces them.

Run from the repository root (about 8 minutes with the defaults; results and
interpretation in docs/benchmarks.md):

    ulimit -n 20000
    .venv/bin/python bench/live_fanout.py --json /tmp/fanout.json

Options: --clients 1000,3000,10000  --servers ours,baseline  --rate 20
--duration 20  --vote-grace 10  --procs 3  --ideas 0 (0 = all ideas of the call)  --drain 15
--open-concurrency 300  --open-timeout 90  --ws-compression {deflate,none}
--voters 200  --json PATH.  Only 127.0.0.1 is contacted. Stdlib only (uvloop
is used in the clients when installed).
"""

from __future__ import annotations

import argparse
import array
import asyncio
import base64
import json
import multiprocessing as mp
import os
import platform
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from importlib import metadata
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")
# cms.settings.dev with the per-IP vote limit lifted (all votes come from 127.0.0.1).
SERVER_SETTINGS = "bench.settings_fanout"
# As in the Makefile's serve target and the Dockerfile's CMD.
SHIPPED_SERVER_ARGS = "--ws-per-message-deflate false"
SERVERS = {
    "ours": ("cms.asgi:application", "/ws/live/"),
    "baseline": ("bench.baseline_asgi:application", "/ws/baseline/"),
}


def log(msg: str) -> None:
    print(f"[fanout {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def raise_fd_limit() -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(sorted_values, p: float) -> float:
    if not len(sorted_values):
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


# --- /proc -------------------------------------------------------------------
def proc_status(pid: int) -> dict:
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:", "Threads:")):
                k, v = line.split(":", 1)
                out[k] = int(v.split()[0])
    return out


def rss_mib(pid: int) -> float:
    return proc_status(pid)["VmRSS"] / 1024


def hwm_mib(pid: int) -> float:
    return proc_status(pid)["VmHWM"] / 1024


def machine_cpu() -> dict:
    """Machine-wide CPU jiffies from /proc/stat: busy, idle and steal (time a VM waited for the host)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return {"busy": v[0] + v[1] + v[2] + v[5] + v[6], "idle": v[3] + v[4], "steal": v[7] if len(v) > 7 else 0}


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


# --- data dir ----------------------------------------------------------------
SETUP_CODE = r"""
import json, os
from django.contrib.auth import get_user_model
from consult.models import ChallengeCallPage
from ideas.models import Idea
from ideas.services.tokens import create_api_token
U = get_user_model()
n = int(os.environ["BENCH_VOTERS"])
keys = []
for i in range(n):
    u, _ = U.objects.get_or_create(username=f"benchvoter{i}", defaults={"email": f"benchvoter{i}@example.invalid"})
    _, key = create_api_token(u, "live fan-out bench")
    keys.append(key)
call = next(c for c in ChallengeCallPage.objects.live().order_by("pk") if c.voting_mode == "support" and c.support_limit is None)
ideas = list(Idea.objects.filter(call=call, visibility="published").order_by("pk").values_list("pk", flat=True))
with open(os.environ["BENCH_OUT"], "w") as f:
    json.dump({"call": call.pk, "call_title": call.title, "ideas": ideas, "tokens": keys}, f)
"""


def prepare_template(voters: int) -> tuple[Path, dict]:
    tmpl = Path(tempfile.mkdtemp(prefix="fanout-tmpl-"))
    env = dict(os.environ, DATA_DIR=str(tmpl), DJANGO_SETTINGS_MODULE="cms.settings.dev")
    t0 = time.monotonic()
    subprocess.run([PY, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([PY, "manage.py", "load_demo", "--quiet"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    out = tmpl / "bench-setup.json"
    env.update(BENCH_VOTERS=str(voters), BENCH_OUT=str(out))
    subprocess.run([PY, "manage.py", "shell", "-c", SETUP_CODE], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    info = json.loads(out.read_text())
    log(f"template data dir {tmpl} ready in {time.monotonic() - t0:.1f}s: call {info['call']} "
        f"({info['call_title']!r}), ideas {info['ideas']}, {len(info['tokens'])} voter tokens")
    return tmpl, info


# --- server ------------------------------------------------------------------
class Server:
    def __init__(self, app: str, data_dir: Path, log_path: Path, extra_args: list[str] = ()):
        self.port = free_port()
        self.argv = [PY, "-m", "uvicorn", app, "--host", HOST, "--port", str(self.port), "--no-access-log",
                     *extra_args]
        self.data_dir = data_dir
        self.log_path = log_path
        self.proc = None

    def start(self, timeout: float = 60) -> None:
        env = dict(os.environ, DATA_DIR=str(self.data_dir), DJANGO_SETTINGS_MODULE=SERVER_SETTINGS,
                   PYTHONUNBUFFERED="1")
        self.logf = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=env, stdout=self.logf, stderr=subprocess.STDOUT,
                                     preexec_fn=raise_fd_limit)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("server did not become healthy")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.logf.close()


# --- WebSocket client (worker processes) -----------------------------------------
def _mask(payload: bytes) -> bytes:
    key = os.urandom(4)
    n = len(payload)
    k = (key * (n // 4 + 1))[:n]
    return key + bytes(a ^ b for a, b in zip(payload, k))


def client_frame(text: str | bytes, opcode: int = 1) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    n = len(data)
    if n < 126:
        head = bytes([0x80 | opcode, 0x80 | n])
    elif n < 65536:
        head = bytes([0x80 | opcode, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x80 | opcode, 0x80 | 127]) + n.to_bytes(8, "big")
    return head + _mask(data)


class Stats:
    def __init__(self):
        self.lat = array.array("f")  # ms
        self.seqs = set()
        self.events = 0
        self.subscribed = 0
        self.errors = 0
        self.closed = 0
        self.deflate = 0


class WSClient(asyncio.Protocol):
    """A minimal WebSocket client: handshake, subscribe, parse server frames,
    answer pings, record event latencies. Server frames are never masked."""

    __slots__ = ("req", "sub", "stats", "ready", "transport", "buf", "open", "inflater", "frag", "frag_op",
                 "frag_rsv1")

    def __init__(self, req: bytes, sub: bytes, stats: Stats, ready: asyncio.Future):
        self.req, self.sub, self.stats, self.ready = req, sub, stats, ready
        self.transport = None
        self.buf = bytearray()
        self.open = False
        self.inflater = None
        self.frag = None

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.req)

    def connection_lost(self, exc):
        self.stats.closed += 1
        if not self.ready.done():
            self.ready.set_result(False)

    def data_received(self, data):
        now = time.time()
        buf = self.buf
        buf += data
        if not self.open:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end]).decode("latin-1")
            del buf[: end + 4]
            if not head.startswith("HTTP/1.1 101"):
                if not self.ready.done():
                    self.ready.set_result(False)
                self.transport.close()
                return
            if "permessage-deflate" in head.lower():
                self.inflater = zlib.decompressobj(-15)
                self.stats.deflate += 1
            self.open = True
            self.transport.write(self.sub)
        pos = 0
        n = len(buf)
        while n - pos >= 2:
            b0 = buf[pos]
            ln = buf[pos + 1] & 0x7F
            hl = 2
            if ln == 126:
                if n - pos < 4:
                    break
                ln = int.from_bytes(buf[pos + 2 : pos + 4], "big")
                hl = 4
            elif ln == 127:
                if n - pos < 10:
                    break
                ln = int.from_bytes(buf[pos + 2 : pos + 10], "big")
                hl = 10
            if n - pos < hl + ln:
                break
            payload = bytes(buf[pos + hl : pos + hl + ln])
            pos += hl + ln
            op = b0 & 0x0F
            if op >= 8:  # control frame
                if op == 9:
                    self.transport.write(client_frame(payload, 0xA))
                elif op == 8:
                    self.transport.close()
                continue
            if op != 0:
                self.frag_op, self.frag_rsv1, self.frag = op, b0 & 0x40, payload
            else:
                self.frag += payload
            if not b0 & 0x80:
                continue
            payload, self.frag = self.frag, None
            if self.frag_rsv1:
                payload = self.inflater.decompress(payload + b"\x00\x00\xff\xff")
            self.message(payload, now)
        if pos:
            del buf[:pos]

    def message(self, payload: bytes, now: float):
        msg = json.loads(payload)
        kind = msg.get("type")
        st = self.stats
        if kind == "event":
            st.events += 1
            st.lat.append((now - msg["at"]) * 1000.0)
            st.seqs.add(msg["seq"])
        elif kind == "subscribed":
            st.subscribed += 1
            if not self.ready.done():
                self.ready.set_result(True)
        elif kind == "error":
            st.errors += 1
            if not self.ready.done():
                self.ready.set_result(False)


async def worker_main(conn, port: int, path: str, count: int, topic: str, concurrency: int,
                      compression: str, open_timeout: float):
    loop = asyncio.get_running_loop()
    stats = Stats()
    sem = asyncio.Semaphore(concurrency)
    clients = []
    opened = []
    failed = 0
    ext = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" if compression == "deflate" else ""
    sub = client_frame(json.dumps({"type": "subscribe", "topic": topic}))
    t0 = time.monotonic()
    open_deadline = t0 + open_timeout

    async def open_one():
        nonlocal failed
        async with sem:
            remaining = open_deadline - time.monotonic()
            if remaining <= 0:
                failed += 1
                return
            key = base64.b64encode(os.urandom(16)).decode()
            req = (f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://{HOST}:{port}\r\n"
                   f"{ext}\r\n").encode()
            ready = loop.create_future()
            proto = None
            ok = False
            try:
                _, proto = await asyncio.wait_for(
                    loop.create_connection(lambda: WSClient(req, sub, stats, ready), HOST, port), remaining)
                ok = await asyncio.wait_for(ready, max(0.1, open_deadline - time.monotonic()))
            except (TimeoutError, OSError):
                ok = False
            if ok:
                clients.append(proto)
                opened.append(1)
            else:  # not subscribed in time: drop it, so it receives nothing later
                failed += 1
                if proto is not None and proto.transport is not None:
                    proto.transport.abort()

    await asyncio.gather(*(open_one() for _ in range(count)))
    open_s = time.monotonic() - t0
    conn.send(("ready", {"subscribed": len(opened), "failed": failed, "errors": stats.errors,
                         "open_s": open_s, "deflate": stats.deflate}))

    # Control loop: answer "stats" polls until "finish".
    q: asyncio.Queue = asyncio.Queue()
    loop.add_reader(conn.fileno(), lambda: q.put_nowait(conn.recv()))
    os.set_blocking(conn.fileno(), True)
    while True:
        cmd = await q.get()
        if cmd == "stats":
            conn.send(("stats", {"events": stats.events, "seqs": sorted(stats.seqs), "closed": stats.closed}))
        elif cmd == "finish":
            break
    loop.remove_reader(conn.fileno())
    os.set_blocking(conn.fileno(), True)  # uvloop left the pipe non-blocking; "done" is large
    ru = resource.getrusage(resource.RUSAGE_SELF)
    conn.send(("done", {"events": stats.events, "seqs": sorted(stats.seqs), "subscribed": len(opened),
                        "closed": stats.closed, "cpu_s": ru.ru_utime + ru.ru_stime,
                        "maxrss_mib": ru.ru_maxrss / 1024, "lat": stats.lat.tobytes()}))
    for c in clients:  # no graceful close: the server is stopped right after
        if c.transport is not None:
            c.transport.abort()


def worker_entry(conn, *args):
    raise_fd_limit()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    try:
        asyncio.run(worker_main(conn, *args))
    except Exception as exc:  # report rather than hang the parent
        conn.send(("failed", repr(exc)))
    conn.close()


# --- vote driver (parent) ---------------------------------------------------
class Voter:
    def __init__(self, port: int, tokens: list[str], ideas: list[int], max_inflight: int = 64):
        self.port = port
        self.tokens = tokens
        self.ideas = ideas
        self.state = {}  # (voter, idea) -> currently supporting
        self.idle = []
        self.sem = asyncio.Semaphore(max_inflight)
        self.lat = []
        self.status = {}
        self.first_send = None
        self.last_ok = None
        self.behind = 0  # votes that left later than 100 ms after their slot

    async def _request(self, method: str, path: str, token: str, body: bytes) -> int:
        reused = bool(self.idle)
        if reused:
            reader, writer = self.idle.pop()
        else:
            reader, writer = await asyncio.open_connection(HOST, self.port)
        head = (f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        try:
            writer.write(head + body)
            status_line = await reader.readline()
            if not status_line:
                raise ConnectionResetError("connection closed before the response")
            status = int(status_line.split()[1])
            length, close = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and "close" in value.lower():
                    close = True
            if length:
                await reader.readexactly(length)
        except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError):
            writer.close()
            if not reused:
                raise
            # uvicorn closes keep-alive connections idle for 5 s: drop the pooled
            # ones and retry once on a new connection.
            for _, w in self.idle:
                w.close()
            self.idle.clear()
            return await self._request(method, path, token, body)
        except Exception:
            writer.close()
            raise
        if close:
            writer.close()
        else:
            self.idle.append((reader, writer))
        return status

    async def vote(self, k: int, slot: float):
        idea = self.ideas[k % len(self.ideas)]
        voter = (k // len(self.ideas)) % len(self.tokens)
        key = (voter, idea)
        supporting = self.state.get(key, False)
        method = "DELETE" if supporting else "POST"
        body = b"" if supporting else b'{"value":"support"}'
        async with self.sem:
            t = time.monotonic()
            if t - slot > 0.1:
                self.behind += 1
            if self.first_send is None:
                self.first_send = t
            try:
                status = await self._request(method, f"/api/v1/ideas/{idea}/vote", self.tokens[voter], body)
            except asyncio.CancelledError:
                return
            except Exception as exc:
                status = type(exc).__name__
            done = time.monotonic()
        self.status[status] = self.status.get(status, 0) + 1
        if status == 200:
            self.state[key] = not supporting
            self.lat.append((done - t) * 1000)
            self.last_ok = done

    async def run(self, rate: float, duration: float, grace: float):
        """Open loop at `rate` for `duration`; requests still unanswered `grace`
        seconds after the last slot are cancelled and counted as "timeout"."""
        t0 = time.monotonic()
        total = int(rate * duration)
        tasks = []
        for k in range(total):
            slot = t0 + k / rate
            delay = slot - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.vote(k, slot)))
        done, pending = await asyncio.wait(tasks, timeout=max(0.1, t0 + duration + grace - time.monotonic()))
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.wait(pending)
            self.status["timeout"] = self.status.get("timeout", 0) + len(pending)
        for _, w in self.idle:
            w.close()
        ok = self.status.get(200, 0)
        span = (self.last_ok - self.first_send) if ok and self.last_ok else float("nan")
        lat = sorted(self.lat)
        return {"attempted": total, "ok": ok, "status": {str(k): v for k, v in self.status.items()},
                "span_s": span, "votes_per_s": ok / max(span, duration) if ok else 0.0,
                "http_p50_ms": percentile(lat, 50), "http_p95_ms": percentile(lat, 95),
                "http_max_ms": lat[-1] if lat else float("nan"), "late_start": self.behind}


# --- one scenario ---------------------------------------------------------------
def poll(conns, cmd):
    for c in conns:
        c.send(cmd)
    out = []
    for c in conns:
        kind, payload = c.recv()
        if kind == "failed":
            raise RuntimeError(f"client worker failed: {payload}")
        out.append(payload)
    return out


def run_scenario(server_name: str, n: int, args, tmpl: Path, info: dict, workdir: Path) -> dict:
    app, path = SERVERS[server_name]
    data_dir = workdir / f"data-{server_name}-{n}"
    shutil.copytree(tmpl, data_dir)
    server = Server(app, data_dir, workdir / f"server-{server_name}-{n}.log", shlex.split(args.server_args))
    topic = f"call:{info['call']}"
    ideas = info["ideas"][: args.ideas] if args.ideas else info["ideas"]
    result = {"server": server_name, "clients": n, "topic": topic, "ideas": len(ideas), "rate": args.rate,
              "duration": args.duration, "procs": args.procs, "server_args": args.server_args}
    ctx = mp.get_context("fork")
    procs, conns = [], []
    t_start = time.monotonic()
    server.start()
    try:
        pid = server.proc.pid
        result["rss_start_mib"] = rss_mib(pid)
        cpu0 = cpu_seconds(pid)
        per = [n // args.procs + (1 if i < n % args.procs else 0) for i in range(args.procs)]
        conc = max(1, args.open_concurrency // args.procs)
        for count in per:
            parent, child = ctx.Pipe()
            p = ctx.Process(target=worker_entry, args=(child, server.port, path, count, topic, conc,
                                                       args.ws_compression, args.open_timeout), daemon=True)
            p.start()
            procs.append(p)
            conns.append(parent)
        t_open = time.monotonic()
        ready = []
        for c in conns:
            kind, payload = c.recv()
            if kind == "failed":
                raise RuntimeError(f"client worker failed: {payload}")
            ready.append(payload)
        subscribed = sum(r["subscribed"] for r in ready)
        result.update(subscribed=subscribed, open_failed=sum(r["failed"] for r in ready),
                      open_errors=sum(r["errors"] for r in ready), open_s=time.monotonic() - t_open,
                      deflate=sum(r["deflate"] for r in ready))
        cpu1 = cpu_seconds(pid)
        result["cpu_connect_s"] = cpu1 - cpu0
        result["rss_open_mib"] = rss_mib(pid)
        result["server_threads"] = proc_status(pid)["Threads"]
        log(f"{server_name} N={n}: {subscribed} subscribed ({result['open_failed']} failed) in "
            f"{result['open_s']:.1f}s; server RSS {result['rss_open_mib']:.0f} MiB")

        voter = Voter(server.port, info["tokens"], ideas)
        votes = asyncio.run(voter.run(args.rate, args.duration, args.vote_grace))
        t_votes_end = time.monotonic()
        result["votes"] = votes
        log(f"{server_name} N={n}: votes {votes['ok']}/{votes['attempted']} ok, {votes['votes_per_s']:.1f}/s, "
            f"HTTP p95 {votes['http_p95_ms']:.0f} ms; draining")

        # Drain: until every client has every event seen by any client, or --drain.
        time.sleep(0.3)  # the coalescer's trailing edge
        drain_deadline = time.monotonic() + args.drain
        last = None
        while True:
            st = poll(conns, "stats")
            seqs = set().union(*(s["seqs"] for s in st))
            got = sum(s["events"] for s in st)
            expected = len(seqs) * subscribed
            if got >= expected and last == (got, len(seqs)):
                break
            last = (got, len(seqs))
            if time.monotonic() > drain_deadline:
                break
            time.sleep(0.5)
        result["drain_s"] = time.monotonic() - t_votes_end
        result["cpu_votes_s"] = cpu_seconds(pid) - cpu1
        result["rss_end_mib"] = rss_mib(pid)
        result["hwm_mib"] = hwm_mib(pid)

        done = poll(conns, "finish")
        lat = array.array("f")
        for d in done:
            lat.frombytes(d["lat"])
        seqs = set().union(*(d["seqs"] for d in done))
        lat = sorted(lat)
        expected = len(seqs) * subscribed
        missing = max(0, expected - len(lat))
        inf = float("inf")

        def pct(p):  # undelivered events count as infinitely late
            if not expected:
                return float("nan")
            idx = (expected - 1) * p / 100
            return lat[int(round(idx))] if int(round(idx)) < len(lat) else inf

        result.update(
            events_published=len(seqs), expected=expected, received=len(lat), missing=missing,
            per_client=len(lat) / subscribed if subscribed else 0,
            p50_ms=pct(50), p95_ms=pct(95), p99_ms=pct(99), max_ms=(lat[-1] if lat and not missing else inf),
            max_received_ms=(lat[-1] if lat else float("nan")),
            client_cpu_s=[round(d["cpu_s"], 1) for d in done],
            client_closed=sum(d["closed"] for d in done),
            scenario_s=time.monotonic() - t_start,
        )
        log(f"{server_name} N={n}: events {len(seqs)}, received {len(lat)}/{expected}, p50 {result['p50_ms']:.0f} "
            f"p95 {result['p95_ms']:.0f} max {result['max_ms']:.0f} ms; server CPU {result['cpu_votes_s']:.1f}s, "
            f"HWM {result['hwm_mib']:.0f} MiB; client CPU {result['client_cpu_s']}")
    finally:
        for p in procs:
            p.join(3)
            if p.is_alive():
                p.kill()
                p.join()
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    return result


# --- report -------------------------------------------------------------------
def fmt_ms(v):
    if v == float("inf"):
        return "∞ (undelivered)"
    return f"{v:,.0f}" if v == v else "n/a"


def markdown(results: list[dict]) -> str:
    lines = []
    for n in sorted({r["clients"] for r in results}):
        lines.append(f"\n#### {n:,} clients\n")
        lines.append("| Server | Subscribed | Open s | p50 ms | p95 ms | max ms | Votes/s (ok/sent) | Events | "
                     "Messages received (per client) | RSS open / peak MiB | Server CPU connect / votes s | "
                     "Client CPU s |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in [r for r in results if r["clients"] == n]:
            if "error" in r:
                lines.append(f"| {r['server']} | failed: {r['error']} |||||||||||")
                continue
            v = r["votes"]
            recv = f"{r['received']:,} of {r['expected']:,} ({r['per_client']:.1f})"
            lines.append(
                f"| {r['server']} | {r['subscribed']:,} | {r['open_s']:.1f} | {fmt_ms(r['p50_ms'])} | "
                f"{fmt_ms(r['p95_ms'])} | {fmt_ms(r['max_ms'])} | {v['votes_per_s']:.1f} ({v['ok']}/{v['attempted']}) | "
                f"{r['events_published']} | {recv} | {r['rss_open_mib']:.0f} / {r['hwm_mib']:.0f} | "
                f"{r['cpu_connect_s']:.1f} / {r['cpu_votes_s']:.1f} | {sum(r['client_cpu_s']):.1f} |")
    return "\n".join(lines)


def versions() -> dict:
    out = {"python": platform.python_version()}
    for pkg in ("django", "wagtail", "channels", "uvicorn", "websockets", "uvloop", "httptools"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "-"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", default="1000,3000,10000")
    ap.add_argument("--servers", default="ours,baseline")
    ap.add_argument("--rate", type=float, default=20.0, help="votes per second")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of voting")
    ap.add_argument("--procs", type=int, default=3, help="client processes")
    ap.add_argument("--ideas", type=int, default=0, help="ideas of the call to vote on (0 = all)")
    ap.add_argument("--voters", type=int, default=200)
    ap.add_argument("--vote-grace", type=float, default=10.0,
                    help="seconds after the last vote slot before unanswered votes are cancelled")
    ap.add_argument("--drain", type=float, default=15.0, help="max seconds to wait for delivery after voting")
    ap.add_argument("--open-concurrency", type=int, default=300)
    ap.add_argument("--open-timeout", type=float, default=90.0)
    ap.add_argument("--ws-compression", choices=("deflate", "none"), default="deflate")
    ap.add_argument("--server-args", default=SHIPPED_SERVER_ARGS,
                    help="uvicorn arguments after --host/--port/--no-access-log (default: as shipped)")
    ap.add_argument("--json")
    args = ap.parse_args()

    limits = raise_fd_limit()
    log(f"RLIMIT_NOFILE {limits}; {os.cpu_count()} CPUs; versions {versions()}")
    t0 = time.monotonic()
    tmpl, info = prepare_template(args.voters)
    m0 = machine_cpu()
    workdir = Path(tempfile.mkdtemp(prefix="fanout-run-"))
    results = []
    try:
        for n in [int(x) for x in args.clients.split(",")]:
            for name in args.servers.split(","):
                try:
                    results.append(run_scenario(name, n, args, tmpl, info, workdir))
                except Exception as exc:
                    log(f"{name} N={n} failed: {exc!r}")
                    results.append({"server": name, "clients": n, "error": repr(exc)})
                time.sleep(1)
    finally:
        shutil.rmtree(tmpl, ignore_errors=True)
    m1 = machine_cpu()
    total = sum(m1[k] - m0[k] for k in m0) or 1
    meta = {"steal_pct": 100 * (m1["steal"] - m0["steal"]) / total, "busy_pct": 100 * (m1["busy"] - m0["busy"]) / total,
            "versions": versions(), "cpus": os.cpu_count(), "args": vars(args), "wall_s": time.monotonic() - t0,
            "call": info["call"], "ideas": info["ideas"], "server_logs": str(workdir)}
    print(markdown(results))
    print(f"\nwall time {meta['wall_s']:.0f}s; machine CPU busy {meta['busy_pct']:.0f}%, steal {meta['steal_pct']:.1f}%; "
          f"server logs in {workdir}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "results": results}, f, indent=1, default=str)


if __name__ == "__main__":
    main()
