"""A small closed-loop HTTP/1.1 load generator for bench/suite.py (stdlib
asyncio only, 127.0.0.1 only).

`run(port, make, connections=10, max_requests=1000, max_seconds=20)` opens
`connections` keep-alive connections; each sends its next request as soon as
the previous answer is read in full, until `max_requests` requests have been
sent in total or `max_seconds` have passed. `make(conn, k)` gives the k-th
request of connection `conn` as (method, path, headers, body); a connection's
requests are sent in order, so a request may depend on the answers to the
ones before (a voter that supports an idea withdraws next time).

Reported: requests, ok (2xx), status counts, latency p50/p95/p99/mean/max in
ms (all answered requests, 2xx or not), requests a second (answered
requests / wall time from the first send to the last answer) and ok_rps
(the same for 2xx answers only).
"""

from __future__ import annotations

import asyncio
import time

HOST = "127.0.0.1"


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


async def _read_response(reader):
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("connection closed before the response")
    status = int(status_line.split()[1])
    length, chunked, close = None, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        value = value.strip()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name == "connection" and "close" in value.lower():
            close = True
    body = b""
    if chunked:
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            parts.append(await reader.readexactly(size))
            await reader.readline()
        body = b"".join(parts)
    elif length:
        body = await reader.readexactly(length)
    elif length is None and status >= 200 and status not in (204, 304):
        body = await reader.read()
        close = True
    return status, body, close


def _request_bytes(port, method, path, headers, body):
    head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH", "DELETE"):
        head.append(f"Content-Length: {len(body or b'')}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (body or b"")


async def _connection(port, make, conn, state, deadline, on_response):
    reader = writer = None
    k = 0
    try:
        while True:
            if state["sent"] >= state["max"] or time.monotonic() >= deadline:
                return
            state["sent"] += 1
            method, path, headers, body = make(conn, k)
            k += 1
            for attempt in (0, 1):
                if writer is None:
                    reader, writer = await asyncio.open_connection(HOST, port)
                    reused = False
                else:
                    reused = True
                started = time.perf_counter()
                try:
                    writer.write(_request_bytes(port, method, path, headers, body))
                    status, payload, close = await _read_response(reader)
                    break
                except (ConnectionError, asyncio.IncompleteReadError):
                    writer.close()
                    writer = None
                    if not reused or attempt:
                        status, payload, close = "connection error", b"", True
                        break
            elapsed = (time.perf_counter() - started) * 1000
            state["lat"].append(elapsed)
            state["status"][status] = state["status"].get(status, 0) + 1
            state["last"] = time.perf_counter()
            if on_response:
                on_response(conn, k - 1, status, payload)
            if close and writer is not None:
                writer.close()
                writer = None
    finally:
        if writer is not None:
            writer.close()


async def _run(port, make, connections, max_requests, max_seconds, on_response):
    connections = max(1, min(connections, max_requests))
    state = {"sent": 0, "max": max_requests, "lat": [], "status": {}, "last": None}
    first = time.perf_counter()
    deadline = time.monotonic() + max_seconds
    await asyncio.gather(*(_connection(port, make, c, state, deadline, on_response) for c in range(connections)))
    lat = sorted(state["lat"])
    span = ((state["last"] or first) - first) or float("nan")
    ok = sum(v for s, v in state["status"].items() if isinstance(s, int) and 200 <= s < 300)
    return {
        "connections": connections, "requests": len(lat), "ok": ok,
        "status": {str(s): v for s, v in state["status"].items()},
        "p50_ms": percentile(lat, 50), "p95_ms": percentile(lat, 95), "p99_ms": percentile(lat, 99),
        "mean_ms": sum(lat) / len(lat) if lat else float("nan"), "max_ms": lat[-1] if lat else float("nan"),
        "rps": len(lat) / span if lat else 0.0, "ok_rps": ok / span if ok else 0.0, "seconds": span,
    }


def run(port, make, connections=10, max_requests=1000, max_seconds=20.0, on_response=None):
    """Bounded in requests and in time; see the module docstring."""
    return asyncio.run(_run(port, make, connections, max_requests, max_seconds, on_response))


def get(path, headers=None):
    """A `make` for the same GET every time."""
    request = ("GET", path, dict(headers or {}), b"")
    return lambda conn, k: request
