"""Real uvicorn processes on the test database, for tests of what only shows
across processes: connection pooling, several workers sharing Redis."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_database_url(**query):
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@contextlib.contextmanager
def uvicorn(data_dir, **env_overrides):
    """Yields the base URL of a uvicorn serving cms.asgi with cms.settings.test;
    REDIS_URL and the rest come from env_overrides, not from this process."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "ELASTICSEARCH_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.test", DATA_DIR=str(data_dir), **env_overrides)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "cms.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--no-access-log", "--ws-per-message-deflate", "false", "--ws-max-size", "65536"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/health", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"server did not start: {proc.stdout.read().decode(errors='replace')}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
