"""Cache instances share one Redis connection pool per process. Django keeps
a cache instance per thread and per async context (every WebSocket is one),
and each used to open its own connections: 10,000 open pages exhausted
Redis's 10,000 clients and every cache read then failed."""

import os
import threading

import pytest
import redis
from django.core.cache import caches

REDIS_URL = os.environ.get("REDIS_URL", "")
# This process's connections carry this name, so those of other test
# workers (pytest-xdist) and servers on the same Redis are not counted.
CLIENT_NAME = f"pool-test-{os.getpid()}"
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL")


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "cms.cache.ResilientRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": f"pool-{os.getpid()}",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "client_name": CLIENT_NAME},
    }}
    return settings


def connected_clients(admin):
    """This process's cache connections open on the server now."""
    return sum(1 for client in admin.client_list() if client.get("name") == CLIENT_NAME)


def test_forty_live_contexts_share_a_handful_of_connections(redis_cache):
    admin = redis.Redis.from_url(REDIS_URL)
    caches["default"].set("warm", 1)  # this thread's instance and the process pool exist
    before = connected_clients(admin)
    assert before >= 1  # the name reaches the server: the count is not vacuous
    used, release = threading.Barrier(41), threading.Event()

    one_at_a_time = threading.Lock()

    def page():  # a thread with its own cache instance, alive like an open page
        # One read at a time: a shared pool then needs one connection however
        # many instances stay alive (pools per instance would keep 40), and
        # the count does not depend on how the reads happen to overlap.
        with one_at_a_time:
            caches["default"].get("warm")
        used.wait()
        release.wait(10)

    threads = [threading.Thread(target=page) for _ in range(40)]
    for t in threads:
        t.start()
    used.wait()
    during = connected_clients(admin)
    release.set()
    for t in threads:
        t.join()
    assert during - before <= 5, f"{during - before} new Redis connections for 40 cache instances"
