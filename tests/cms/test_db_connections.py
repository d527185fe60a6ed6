"""A server process on PostgreSQL holds at most its pool's connections, however
many requests it serves: under ASGI each request runs on a thread of its own,
and with persistent connections every one of them kept its own connection
open until PostgreSQL refused new clients (docs/benchmarks.md)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
POOL_SIZE = 4
APP_NAME = f"mc-pool-test-{os.getpid()}"

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL on PostgreSQL")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backends(params):
    with psycopg.connect(**params, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]).fetchone()[0]


@pytest.fixture
def server(django_db_setup, django_db_blocker, tmp_path):
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}?application_name={APP_NAME}"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "ELASTICSEARCH_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.test", DATABASE_URL=url, DATABASE_POOL_SIZE=str(POOL_SIZE),
               DATA_DIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "cms.asgi:application", "--host", "127.0.0.1",
                             "--port", str(port), "--no-access-log"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/health", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"server did not start: {proc.stdout.read().decode(errors='replace')}")
            time.sleep(0.2)
    params = {"host": s["HOST"], "port": s["PORT"], "user": s["USER"], "password": s["PASSWORD"] or None,
              "dbname": s["NAME"]}
    yield base, params
    proc.terminate()
    proc.wait(timeout=20)
    deadline = time.monotonic() + 10
    while backends(params) and time.monotonic() < deadline:  # gone before the test database is dropped
        time.sleep(0.1)


def test_many_requests_share_the_pool_and_hand_connections_back(server):
    base, params = server

    def get(_):
        with urllib.request.urlopen(base + "/health", timeout=30) as response:
            return response.status

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(get, range(150)))
    assert statuses == [200] * 150
    held = backends(params)
    assert 1 <= held <= POOL_SIZE, f"{held} connections held after 150 requests (pool of {POOL_SIZE})"
