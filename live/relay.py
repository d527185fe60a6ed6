"""Events from processes that serve no sockets, on the embedded default.

Without REDIS_URL the channel layer is in-memory: it reaches only the sockets
of the process that publishes. The background worker (`manage.py run_huey`,
which `make run` starts beside the server) and management commands are other
processes, so an event they publish (a recomputed opinion map:
`opinion.updated`) would reach nobody. Here such a process writes the event
to a small table instead (live/models.py, `RelayedEvent`); the server's hub
reads new rows about once a second, publishes each one there as if it had
been published in the server (its sequence number and catch-up log are the
server's), and prunes old rows. With REDIS_URL the layer is shared, nothing
is relayed and the table stays empty.

A process relays only when it says so (`mark_publisher()`): the worker at
start-up (cms/tasks.py, a Huey start-up hook, which runs in `run_huey` and
never in the server or in tests' immediate mode), and a command that
publishes for the pages open now (opinion_map) for as long as it runs.
Nothing is guessed from the absence of sockets, so the server never writes
here, and a request costs no extra query.

Bounded: a poll reads at most BATCH rows; rows older than KEEP_SECONDS are
deleted by the server (once a minute) and by the publisher (at most once a
minute while it writes), so the table holds a few minutes of events even
when no server runs. The poller remembers the last id it delivered and, for
ids committed out of order (PostgreSQL without Redis, two workers at once),
the gaps it saw, for GAP_SECONDS at most. The server's side, the poller, is
live/poller.py: it publishes through live/events.py, which writes here."""

import contextlib
import logging
import threading
import time

from channels.layers import InMemoryChannelLayer, get_channel_layer

from .models import RelayedEvent

logger = logging.getLogger("missioncommons.live")

POLL_SECONDS = 1.0  # how often the server looks for new rows
KEEP_SECONDS = 300  # rows older than this are pruned
PRUNE_EVERY = 60.0  # seconds between prunes, on either side
BATCH = 500  # rows read per query; a poll reads again while a batch comes back full
GAP_SECONDS = 10.0  # how long a missing id is looked for (a row committed out of id order)
MAX_GAPS = 1000
START_LOOKBACK = 5.0  # a new poller also delivers rows written this many seconds before it started

_publisher = False
_prune_lock = threading.Lock()
_last_prune = 0.0


def mark_publisher(on=True):
    """Say that this process serves no sockets: from now on, while the layer
    is in-memory, publish() writes its events to the relay table. Called by
    the worker at start-up; a command uses as_publisher() instead."""
    global _publisher
    _publisher = bool(on)


@contextlib.contextmanager
def as_publisher():
    """`mark_publisher()` for a block: a management command while it runs;
    a test whose process plays the worker."""
    global _publisher
    before = _publisher
    _publisher = True
    try:
        yield
    finally:
        _publisher = before


def relaying():
    """True when publish() should write to the relay table: this process is
    marked as a publisher and the layer is in-memory (per process)."""
    return _publisher and isinstance(get_channel_layer(), InMemoryChannelLayer)


# --- the publisher's side ---------------------------------------------------


def write(topic, event, data, at):
    """Store one event for the server to publish. Raises on a database error
    (publish() logs it and the write that caused the event stands)."""
    RelayedEvent.objects.create(topic=topic, event=event, data=data, at=at)
    maybe_prune()


def maybe_prune(now=None):
    """Delete rows older than KEEP_SECONDS, at most once per PRUNE_EVERY per
    process; a SELECT first, so a quiet table costs no write lock."""
    global _last_prune
    now = time.time() if now is None else now
    with _prune_lock:
        if now - _last_prune < PRUNE_EVERY:
            return 0
        _last_prune = now
    old = RelayedEvent.objects.filter(at__lt=now - KEEP_SECONDS)
    if not old.exists():
        return 0
    deleted, _ = old.delete()
    return deleted
