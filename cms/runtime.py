"""Interpreter settings for the ASGI server process, applied at the ASGI
lifespan start-up, so commands, tests and in-process servers keep the defaults.

One uvicorn worker holds thousands of WebSockets on one event loop while
Django's sync views run in threads. Two CPython defaults hurt that mix; the
figures are in docs/benchmarks.md, "Live fan-out".

- The garbage collector. Every open socket keeps about 150 GC-tracked objects
  alive (consumer, tasks, coroutines, scope). A full collection walks all of
  them: about 1 s at 10,000 sockets, during which no event goes out. With the
  default thresholds such collections came every few seconds under load,
  because the objects in flight during each fan-out (outbox entries, wake-up
  futures) lived just long enough to be promoted. A larger first threshold
  lets them die young, and freezing what exists at start-up (Django, Wagtail,
  the URL and template caches) takes it out of every later full collection.
- The GIL switch interval. A request thread that waits for the GIL waits up
  to the interval (5 ms) each time, and it waits at every database call while
  the loop is busy fanning out; a vote that makes ten calls held SQLite's
  write lock for over 100 ms and votes timed out. At 1 ms they did not.
"""

import gc
import sys

from django.urls import get_resolver

GC_THRESHOLDS = (50_000, 20, 100)
SWITCH_INTERVAL = 0.001


def tune_for_many_connections():
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    sys.setswitchinterval(SWITCH_INTERVAL)


async def lifespan(scope, receive, send):
    """The ASGI lifespan protocol: tune at start-up, nothing to do at shutdown."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            get_resolver().url_patterns  # noqa: B018 - import every view now, so the freeze covers them
            tune_for_many_connections()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
