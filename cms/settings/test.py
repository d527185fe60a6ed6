"""Settings for the test suite: real PostgreSQL and Redis when their URLs are set."""

from .base import *  # noqa: F401,F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True

import os  # noqa: E402

from .base import CACHES, CHANNEL_LAYERS, REDIS_URL  # noqa: E402

if REDIS_URL:
    # A prefix per process keeps counters and rate limits of earlier runs out,
    # and keeps parallel runs (each xdist worker is a process with a test
    # database of its own, whose ids overlap the others') apart on the shared
    # Redis: cache keys, live sequence numbers and the channel layer's groups
    # (a group `call:1` of one worker is not another's). Server processes a
    # test starts share the test's prefix (tests/servers.py).
    TEST_CACHE_PREFIX = os.environ.get("TEST_CACHE_PREFIX") or f"mc-test-{os.getpid()}"
    CACHES["default"]["KEY_PREFIX"] = TEST_CACHE_PREFIX
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = TEST_CACHE_PREFIX

# Rate-limit counters in their own local cache, emptied before each test.
CACHES["ratelimit"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
RATELIMIT_USE_CACHE = "ratelimit"

# Tasks run in-process, at the call, on an in-memory queue (huey's immediate
# mode): no worker, no file, no Redis keys. A task that fails and has
# retries left is put on that in-memory schedule for later, and nothing runs
# it unless a test does (cms.tasks.run_scheduled).
from .base import HUEY  # noqa: E402

HUEY = {**HUEY, "immediate": True}

# The page cache (cms/pagecache.py) is off, so tests that count queries see
# every render; tests/cms/test_page_cache.py turns it on.
PAGE_CACHE_ENABLED = False

# SQLite's test database lives in memory with a shared cache, where a reader
# holds a table lock and a writer on another connection fails at once with
# "database table is locked" (no busy timeout applies to shared-cache locks).
# The live server thread, the tally thread and the test share it, so test
# connections read uncommitted: a read neither blocks nor is blocked
# (tests/cms/test_sqlite_test_database.py). The file database of the
# embedded default is not shared-cache; WAL serves it there.
from .base import DATABASES  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["init_command"] = _options.get("init_command", "") + " PRAGMA read_uncommitted=1;"

# A kind of contribution defined only in tests (tests/kindapp): moderated,
# hidden, counted, indexed and exported through its registration alone.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.kindapp"]  # noqa: F405
