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
the gaps it saw, for GAP_SECONDS at most."""

import asyncio
import contextlib
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import close_old_connections

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
    from .models import RelayedEvent

    RelayedEvent.objects.create(topic=topic, event=event, data=data, at=at)
    _maybe_prune()


def _maybe_prune(now=None):
    """Delete rows older than KEEP_SECONDS, at most once per PRUNE_EVERY per
    process; a SELECT first, so a quiet table costs no write lock."""
    global _last_prune
    now = time.time() if now is None else now
    with _prune_lock:
        if now - _last_prune < PRUNE_EVERY:
            return 0
        _last_prune = now
    from .models import RelayedEvent

    old = RelayedEvent.objects.filter(at__lt=now - KEEP_SECONDS)
    if not old.exists():
        return 0
    deleted, _ = old.delete()
    return deleted


# --- the server's side --------------------------------------------------------


class Poller:
    """Reads new relay rows and publishes them in this process. One per
    process (ensure_poller), run as a task on a hub's event loop; the
    database work runs on one thread of its own."""

    def __init__(self, loop):
        self.loop = loop
        self.last_id = None
        self.gaps = {}  # id -> time it was first missed
        self.delivered = 0
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-relay")
        self.task = None
        self.failing = False
        self.idle = threading.Event()  # set while no poll is running
        self.idle.set()

    def _start_id(self, now):
        from django.db.models import Max

        from .models import RelayedEvent

        return RelayedEvent.objects.filter(at__lt=now - START_LOOKBACK).aggregate(m=Max("id"))["m"] or 0

    def poll_once(self, now=None):
        """Publish the rows written since the last poll; returns how many.
        Runs on the poller's thread (or a test's)."""
        from .events import deliver
        from .models import RelayedEvent

        now = time.time() if now is None else now
        fields = ("id", "topic", "event", "data", "at")
        sent = 0
        self.idle.clear()
        try:
            if self.last_id is None:
                self.last_id = self._start_id(now)
            rows = []
            if self.gaps:
                self.gaps = {i: t for i, t in self.gaps.items() if now - t < GAP_SECONDS}
                if self.gaps:
                    rows += RelayedEvent.objects.filter(id__in=list(self.gaps)).values_list(*fields)
            while True:
                batch = list(RelayedEvent.objects.filter(id__gt=self.last_id).order_by("id").values_list(*fields)[:BATCH])
                for row in batch:
                    for missing in range(self.last_id + 1, row[0]):
                        if len(self.gaps) < MAX_GAPS:
                            self.gaps[missing] = now
                    self.last_id = row[0]
                rows += batch
                if len(batch) < BATCH:
                    break
            for pk, topic, event, data, at in rows:
                self.gaps.pop(pk, None)
                deliver(topic, event, data, at=at)
                sent += 1
            self.delivered += sent
            _maybe_prune(now)
            if self.failing:
                logger.info("live relay: reading events again")
                self.failing = False
        except Exception:
            # The database busy or down: try again next time. Said once per
            # failing spell, not every second.
            if not self.failing:
                logger.warning("live relay: could not read relayed events; retrying every %.0fs", POLL_SECONDS,
                               exc_info=True)
                self.failing = True
        finally:
            # Hand the connection back rather than hold one between polls.
            close_old_connections()
            self.idle.set()
        return sent

    async def run(self):
        try:
            while True:
                await self.loop.run_in_executor(self.executor, self.poll_once)
                await asyncio.sleep(POLL_SECONDS)
        finally:
            # The loop is ending (the server stopping): let a poll under way
            # finish, briefly, so no query outlives the server.
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.idle.wait(2)
            _hand_over(self)


_poller = None
_poller_lock = threading.Lock()


def ensure_poller(loop):
    """Start this process's poller on `loop` unless one runs on a live loop.
    Called by the hub when it first joins the in-memory layer."""
    global _poller
    with _poller_lock:
        current = _poller
        if current is not None and current.loop.is_running() and current.task is not None \
                and not current.task.done():
            return current
        poller = Poller(loop)
        poller.task = loop.create_task(poller.run())
        _poller = poller
        return poller


def _hand_over(poller):
    """The poller's loop is ending (a server stopping; in tests, one per
    test): another loop of this process that serves sockets takes over."""
    global _poller
    with _poller_lock:
        if _poller is poller:
            _poller = None
    if not isinstance(get_channel_layer(), InMemoryChannelLayer):
        return
    from .hub import running_loops  # live/hub.py imports this module

    for loop in running_loops():
        if loop is not poller.loop and not loop.is_closed():
            loop.call_soon_threadsafe(ensure_poller, loop)
            return


def current_poller():
    return _poller
