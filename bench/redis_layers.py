#!/usr/bin/env python3
"""Group fan-out through channels_redis: RedisChannelLayer vs RedisPubSubChannelLayer.

One group ("t.call.8", named as live.events.group_name names topics) has G
member channels, spread over --procs receiver processes (G=1 uses one). Each
receiver process builds its own layer instance, creates its channels with
new_channel(), adds them to the group and runs one receive() loop per
channel. A sender process (this one) with its own layer instance then:

1. latency: --rounds times, one group_send, then waits until every member has
   received it; "time to all" = last member's receipt - time before
   group_send (one clock: same machine). Also the time the group_send call
   itself takes in the sender.
2. throughput: a burst of B group_sends back to back (B = 200, or 20,000 / G
   if smaller, at least 10), timed until every member has every message;
   deliveries/s = G x B / that time.

With live/hub.py each server process holds ONE channel per topic, so in
production G is the number of server processes (the G=2 row, one channel in
each of 2 processes); G=100 and G=1000 show what a plain consumer-per-socket
design would put on the layer.

Redis: by default a spare `redis-server` on a free 127.0.0.1 port, without
persistence, stopped at the end (pub/sub channels are not scoped by database
number, so a shared Redis is avoided). --redis-url redis://127.0.0.1:6379/15
uses an existing one instead.

    .venv/bin/python bench/redis_layers.py --json /tmp/redis-layers.json   # about 1 minute
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from importlib import metadata

HOST = "127.0.0.1"
GROUP = "t.call.8"
LAYERS = {
    "RedisChannelLayer": "channels_redis.core.RedisChannelLayer",
    "RedisPubSubChannelLayer": "channels_redis.pubsub.RedisPubSubChannelLayer",
}


def log(msg):
    print(f"[redis-layers {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def make_layer(name, url):
    module, cls = LAYERS[name].rsplit(".", 1)
    mod = __import__(module, fromlist=[cls])
    # The production settings' config: one host, capacity 5000.
    return getattr(mod, cls)(hosts=[url], capacity=5000)


# --- receiver process -------------------------------------------------------------
async def receiver_main(conn, layer_name, url, count):
    layer = make_layer(layer_name, url)
    loop = asyncio.get_running_loop()
    got = {}  # message index -> members of this process that have it

    async def member():
        ch = await layer.new_channel()
        await layer.group_add(GROUP, ch)
        return ch

    channels = [await member() for _ in range(count)]

    async def pump(ch):
        while True:
            msg = await layer.receive(ch)
            i = msg["i"]
            n = got.get(i, 0) + 1
            got[i] = n
            if n == count:
                conn.send(("all", i, time.time()))
                del got[i]

    tasks = [asyncio.create_task(pump(ch)) for ch in channels]
    await asyncio.sleep(0.5)  # let subscriptions settle
    conn.send(("ready", count))
    stop = loop.create_future()
    loop.add_reader(conn.fileno(), lambda: stop.done() or stop.set_result(conn.recv()))
    await stop
    loop.remove_reader(conn.fileno())
    for t in tasks:
        t.cancel()
    for ch in channels:
        try:
            await layer.group_discard(GROUP, ch)
        except Exception:
            pass
    try:
        await layer.flush() if layer_name == "RedisChannelLayer" else None
    except Exception:
        pass


def receiver_entry(conn, layer_name, url, count):
    try:
        asyncio.run(receiver_main(conn, layer_name, url, count))
    except Exception as exc:
        conn.send(("failed", repr(exc), 0))


# --- sender (this process) -------------------------------------------------------
async def run_case(layer_name, url, g, procs, rounds, timeout):
    ctx = mp.get_context("spawn")
    nprocs = 1 if g == 1 else procs
    per = [g // nprocs + (1 if i < g % nprocs else 0) for i in range(nprocs)]
    pipes, children = [], []
    for count in per:
        a, b = ctx.Pipe()
        p = ctx.Process(target=receiver_entry, args=(b, layer_name, url, count), daemon=True)
        p.start()
        pipes.append(a)
        children.append(p)
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue = asyncio.Queue()
    for a in pipes:
        loop.add_reader(a.fileno(), lambda a=a: inbox.put_nowait(a.recv()))
    result = {"layer": layer_name, "G": g, "procs": nprocs}
    layer = make_layer(layer_name, url)
    try:
        ready = 0
        t_setup = time.monotonic()
        while ready < nprocs:
            msg = await asyncio.wait_for(inbox.get(), 120)
            if msg[0] == "failed":
                raise RuntimeError(msg[1])
            ready += 1
        result["setup_s"] = time.monotonic() - t_setup

        async def wait_all(indices, deadline):
            """Wait until every process reported every index; return the last report time."""
            need = {i: nprocs for i in indices}
            last = 0.0
            while need:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None, sum(need.values())
                kind, i, t = await asyncio.wait_for(inbox.get(), remaining)
                if kind != "all" or i not in need:
                    continue
                last = max(last, t)
                need[i] -= 1
                if not need[i]:
                    del need[i]
            return last, 0

        # 1. latency: one message at a time.
        to_all, send_call = [], []
        lost = 0
        for r in range(rounds):
            t0 = time.time()
            await layer.group_send(GROUP, {"type": "bench.msg", "i": r})
            send_call.append((time.time() - t0) * 1000)
            last, missing = await wait_all([r], time.monotonic() + timeout)
            if last is None:
                lost += 1
                continue
            to_all.append((last - t0) * 1000)
        result.update(rounds=rounds, lost_rounds=lost,
                      to_all_p50_ms=percentile(to_all, 50), to_all_p95_ms=percentile(to_all, 95),
                      to_all_max_ms=max(to_all) if to_all else float("nan"),
                      send_call_p50_ms=percentile(send_call, 50), send_call_p95_ms=percentile(send_call, 95))

        # 2. throughput: a burst.
        burst = max(10, min(200, 20000 // g))
        base = 10_000
        t0 = time.time()
        for k in range(burst):
            await layer.group_send(GROUP, {"type": "bench.msg", "i": base + k})
        t_sent = time.time()
        last, missing = await wait_all(range(base, base + burst), time.monotonic() + timeout)
        result.update(burst=burst, burst_send_s=t_sent - t0)
        if last is None:
            result.update(burst_complete=False, burst_missing_reports=missing, deliveries_per_s=float("nan"))
        else:
            result.update(burst_complete=True, burst_s=last - t0, deliveries_per_s=g * burst / (last - t0),
                          group_sends_per_s=burst / (last - t0))
    finally:
        for a in pipes:
            loop.remove_reader(a.fileno())
            try:
                a.send("stop")
            except Exception:
                pass
        for p in children:
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join()
        try:
            await layer.flush() if layer_name == "RedisChannelLayer" else await layer.close()
        except Exception:
            pass
    log(f"{layer_name} G={g}: to-all p50 {result['to_all_p50_ms']:.2f} ms p95 {result['to_all_p95_ms']:.2f} ms, "
        f"group_send call p50 {result['send_call_p50_ms']:.2f} ms; burst {burst}: "
        f"{result.get('deliveries_per_s', float('nan')):,.0f} deliveries/s")
    return result


def markdown(results):
    lines = ["| Layer | G (processes) | time to all members p50 / p95 / max ms | group_send call p50 / p95 ms | "
             "burst | burst time s | deliveries/s | group_sends/s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['layer']} | {r['G']} | failed: {r['error']} ||||||")
            continue
        burst_s = f"{r['burst_s']:.2f}" if r.get("burst_complete") else f"incomplete ({r.get('burst_missing_reports')} missing)"
        lines.append(
            f"| {r['layer']} | {r['G']:,} ({r['procs']}) | {r['to_all_p50_ms']:.2f} / {r['to_all_p95_ms']:.2f} / "
            f"{r['to_all_max_ms']:.2f} | {r['send_call_p50_ms']:.2f} / {r['send_call_p95_ms']:.2f} | {r['burst']} | "
            f"{burst_s} | {r.get('deliveries_per_s', float('nan')):,.0f} | {r.get('group_sends_per_s', float('nan')):,.0f} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--redis-url", help="use this Redis instead of starting a spare redis-server")
    ap.add_argument("--groups", default="1,2,100,1000", help="group sizes G")
    ap.add_argument("--layers", default="RedisChannelLayer,RedisPubSubChannelLayer")
    ap.add_argument("--procs", type=int, default=2, help="receiver processes (G=1 always uses one)")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per wait")
    ap.add_argument("--json")
    args = ap.parse_args()

    server = None
    url = args.redis_url
    tmp = None
    if not url:
        exe = shutil.which("redis-server")
        if not exe:
            sys.exit("redis-server not found; pass --redis-url")
        port = free_port()
        tmp = tempfile.mkdtemp(prefix="redis-bench-")
        server = subprocess.Popen([exe, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
                                   "--dir", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"redis://{HOST}:{port}/0"
        for _ in range(100):
            try:
                with socket.create_connection((HOST, port), 0.2):
                    break
            except OSError:
                time.sleep(0.05)
    redis_version = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()[2].removeprefix("v=")
    log(f"Redis at {url} ({redis_version})")
    t0 = time.monotonic()
    results = []
    try:
        for g in [int(x) for x in args.groups.split(",")]:
            for name in args.layers.split(","):
                try:
                    results.append(asyncio.run(run_case(name, url, g, args.procs, args.rounds, args.timeout)))
                except Exception as exc:
                    log(f"{name} G={g} failed: {exc!r}")
                    results.append({"layer": name, "G": g, "error": repr(exc)})
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
            shutil.rmtree(tmp, ignore_errors=True)
    meta = {"redis": redis_version, "channels_redis": metadata.version("channels_redis"),
            "redis-py": metadata.version("redis"), "wall_s": time.monotonic() - t0, "args": vars(args)}
    print(markdown(results))
    print(f"\nchannels_redis {meta['channels_redis']}, redis-py {meta['redis-py']}, Redis {redis_version}; "
          f"wall {meta['wall_s']:.0f}s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
