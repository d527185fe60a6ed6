"""The server's side of the relay (live/relay.py): one poller per process
reads the rows other processes wrote and publishes each here, as if it had
been published in this process. Started by the hub when it first joins the
in-memory layer; apart from live/relay.py because it publishes through
live/events.py, which imports the relay to write."""

import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import close_old_connections
from django.db.models import Max

from .events import deliver
from .loops import running_loops
from .models import RelayedEvent
from .relay import BATCH, GAP_SECONDS, MAX_GAPS, POLL_SECONDS, START_LOOKBACK, maybe_prune

logger = logging.getLogger("missioncommons.live")


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
        return RelayedEvent.objects.filter(at__lt=now - START_LOOKBACK).aggregate(m=Max("id"))["m"] or 0

    def poll_once(self, now=None):
        """Publish the rows written since the last poll; returns how many.
        Runs on the poller's thread (or a test's)."""
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
            maybe_prune(now)
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
    for loop in running_loops():
        if loop is not poller.loop and not loop.is_closed():
            loop.call_soon_threadsafe(ensure_poller, loop)
            return


def current_poller():
    return _poller
