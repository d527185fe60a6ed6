"""Settings for `make bench` (bench/suite.py): cms.settings.production, as
shipped, with three changes a benchmark needs and nothing else:

- ROOT_URLCONF adds one bare view (bench/urls_bench.py: no template, no
  query) as the same-run baseline, through the same middleware;
- the vote rate limits (300 a minute per address, 60 per person) are lifted:
  every vote of the benchmark comes from 127.0.0.1 and a few hundred voters;
- with Redis, the cache, channel layer and queue keys carry BENCH_KEY_PREFIX
  (a fresh one per run, so a cached page of an earlier run with the same
  database ids is never served, and a bench beside the test suite on the
  same Redis database cannot meet its keys).

DEBUG stays off and SECRET_KEY comes from the environment (the suite
generates one); production.py refuses to start otherwise."""

import os

from cms.settings.production import *  # noqa: F403 (the production settings, then what the bench changes)
from cms.settings.production import CACHES, CHANNEL_LAYERS, HUEY, REDIS_URL

ROOT_URLCONF = "bench.urls_bench"
RATE_LIMITS = {"vote": {"ip": "100000000/m", "user": "100000000/m"}}

_prefix = os.environ.get("BENCH_KEY_PREFIX", "")
if REDIS_URL and _prefix:
    CACHES["default"]["KEY_PREFIX"] = _prefix
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = _prefix
    HUEY = {**HUEY, "name": _prefix}
