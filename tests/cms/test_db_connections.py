"""A server process on PostgreSQL holds at most its pool's connections, however
many requests it serves: under ASGI each request runs on a thread of its own,
and with persistent connections every one of them kept its own connection
open until PostgreSQL refused new clients (docs/benchmarks.md)."""

import os
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.db import connection

from ..servers import server_database_url, uvicorn

POOL_SIZE = 4
APP_NAME = f"mc-pool-test-{os.getpid()}"

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL on PostgreSQL")


def backends():
    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"] or None,
                         dbname=s["NAME"], autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]).fetchone()[0]


@pytest.fixture
def server(django_db_setup, tmp_path):
    with uvicorn(tmp_path, DATABASE_URL=server_database_url(application_name=APP_NAME),
                 DATABASE_POOL_SIZE=str(POOL_SIZE)) as base:
        yield base
    deadline = time.monotonic() + 10
    while backends() and time.monotonic() < deadline:  # gone before the test database is dropped
        time.sleep(0.1)


def test_many_requests_share_the_pool_and_hand_connections_back(server):
    def get(_):
        with urllib.request.urlopen(server + "/health", timeout=30) as response:
            return response.status

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(get, range(150)))
    assert statuses == [200] * 150
    held = backends()
    assert 1 <= held <= POOL_SIZE, f"{held} connections held after 150 requests (pool of {POOL_SIZE})"
