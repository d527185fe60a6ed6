"""cms.settings.dev for bench/live_fanout.py, with one change: the per-IP vote
limit (300/min, ideas/ratelimits.py) is lifted, because every vote of the
benchmark comes from 127.0.0.1. The per-user limit (60/min) stays; each
benchmark voter votes a few times a minute at most."""

from cms.settings.dev import *  # noqa: F401,F403

RATE_LIMITS = {"vote": {"ip": "1000000/m"}}

