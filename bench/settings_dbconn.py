"""Settings for bench/db_connections.py: cms.settings.dev on PostgreSQL with
DEBUG off, and the connection handling chosen by BENCH_DB_MODE:

- ``pool`` (what base.py ships): CONN_MAX_AGE 0 and a psycopg pool;
- ``persistent`` (what base.py shipped before): CONN_MAX_AGE 60, no pool;
- ``per-request``: CONN_MAX_AGE 0, no pool (a new connection per request).
"""

import os

from cms.settings.dev import *  # noqa: F401,F403
from cms.settings.dev import DATABASES

DEBUG = False
MODE = os.environ.get("BENCH_DB_MODE", "pool")
_db = DATABASES["default"]
if MODE == "persistent":
    _db["OPTIONS"].pop("pool", None)
    _db["CONN_MAX_AGE"] = 60
    _db["CONN_HEALTH_CHECKS"] = True
elif MODE == "per-request":
    _db["OPTIONS"].pop("pool", None)
    _db["CONN_MAX_AGE"] = 0
elif MODE != "pool":
    raise ValueError(f"BENCH_DB_MODE must be pool, persistent or per-request, not {MODE!r}")
