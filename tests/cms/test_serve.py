"""cms/serve.py, the production launcher: connections spread over the
workers (each has its own SO_REUSEPORT socket; under `uvicorn --workers 2`
one worker took them all), a worker that dies is replaced, and SIGTERM
stops everything."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cms import serve

from ..servers import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not serve.balances(), reason="SO_REUSEPORT balancing is Linux's")


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            found = [int(p) for p in f.read().split()]
    except OSError:
        return []
    return [p for p in found if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]


def listeners(port):
    """How many sockets listen on 127.0.0.1:port (one per worker once each has started)."""
    with open("/proc/net/tcp") as f:
        rows = [line.split() for line in f.readlines()[1:]]
    return sum(1 for row in rows if row[1] == f"0100007F:{port:04X}" and row[3] == "0A")


def sockets_of(pid):
    held = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:"):
            held.add(target)
    return len(held)


@pytest.fixture
def launcher(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.test", DATA_DIR=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cms.serve", "cms.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--no-access-log"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).read()
            # Both workers up and listening (a worker still importing Django
            # is in no accept queue yet); uvicorn's shared socket is one listener.
            if len(children(proc.pid)) == 2 and (listeners(port) == 2 or time.monotonic() > deadline - 30):
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(proc.stdout.read().decode(errors="replace"))
        time.sleep(0.2)
    yield proc, port
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def open_connections(port, n):
    """n keep-alive connections opened together, as a load generator or a
    proxy opens them (they wait in the kernel until a worker accepts),
    each then having had one request answered."""
    conns = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(n)]
    for sock in conns:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
    for sock in conns:
        assert sock.recv(65536).startswith(b"HTTP/1.1 ")
    return conns


def test_connections_spread_over_both_workers(launcher):
    proc, port = launcher
    assert listeners(port) == 2, "the workers do not each listen on a socket of their own"
    workers = children(proc.pid)
    before = {pid: sockets_of(pid) for pid in workers}
    conns = open_connections(port, 60)
    try:
        gained = {pid: sockets_of(pid) - before[pid] for pid in workers}
        # Each open connection is a socket of one worker; a worker may close
        # a socket of its own meanwhile (a finished request, its database),
        # so the sum may fall short of 60 by one or two (seen: 59).
        assert sum(gained.values()) >= 57, gained
        # Each worker takes at least a quarter (a 4-tuple hash: about half
        # each; under `uvicorn --workers 2` one took 34 to 37 of 40).
        assert all(n >= 15 for n in gained.values()), gained
    finally:
        for sock in conns:
            sock.close()


def test_a_worker_that_dies_is_replaced_and_sigterm_stops_all(launcher):
    proc, port = launcher
    first, second = children(proc.pid)
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = children(proc.pid)
        if len(now) == 2 and first not in now:
            break
        time.sleep(0.2)
    now = children(proc.pid)
    assert len(now) == 2 and first not in now and second in now
    for _ in range(10):
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5).status == 200

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(40) == 0
    for pid in now:
        assert not Path(f"/proc/{pid}").exists() or b"zombie" in Path(f"/proc/{pid}/status").read_bytes().lower()


def test_a_taken_port_fails_at_once_with_the_reason(tmp_path):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="cms.settings.test", DATA_DIR=str(tmp_path))
        result = subprocess.run(
            [sys.executable, "-m", "cms.serve", "--port", str(port), "--workers", "2"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )
    assert result.returncode != 0
    assert "Address already in use" in result.stderr


def test_options_are_checked():
    with pytest.raises(SystemExit):
        serve.parse(["--workers", "0"])
    with pytest.raises(SystemExit):
        serve.parse(["--workers", "2", "--port", "0"])
    options = serve.uvicorn_options(serve.parse(["--workers", "2", "--ws-per-message-deflate", "false", "--ws-max-size", "65536",
                                                 "--proxy-headers", "--no-access-log"]))
    assert options["ws_per_message_deflate"] is False and options["proxy_headers"] and not options["access_log"]
    assert options["ws_max_size"] == 65536
