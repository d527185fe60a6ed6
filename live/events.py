"""Live events: numbered per topic, sent after commit, never fatal.

A write must succeed even when the channel layer (Redis) is down, so publish
errors are logged and swallowed; clients catch up by sequence number.

Every event name is a constant below, so the services that publish and the
consumer that reads them share one spelling (static/js/live.mjs and
docs/live-protocol.md use the same strings). Like live/topics.py this module
imports no other project app (live is a leaf): the tally counts are read by a
function the ideas app registers with set_tally_reader()."""

import asyncio
import heapq
import json
import logging
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import close_old_connections, transaction

from . import relay
from .loops import running_loops

logger = logging.getLogger("missioncommons.live")

# --- event names (the `event` field of an event frame) -------------------------

IDEA_CREATED = "idea.created"
IDEA_UPDATED = "idea.updated"
IDEA_REMOVED = "idea.removed"
IDEA_STATUS = "idea.status"
IDEA_RESPONSE = "idea.response"
COMMENT_CREATED = "comment.created"
COMMENT_UPDATED = "comment.updated"
COMMENT_REMOVED = "comment.removed"
COMMENT_DELETED = "comment.deleted"
COMMENT_COUNT = "comment.count"
COMMENT_TALLY = "comment.tally"
TALLY = "tally"
# Any other kind of contribution (ideas/kinds.py) shown or removed on its
# call's topic, with {"kind": ..., "id": ...}: pages refresh, cached pages miss.
CONTRIBUTION_CREATED = "contribution.created"
CONTRIBUTION_REMOVED = "contribution.removed"
QUEUE_ADDED = "queue.added"
QUEUE_UPDATED = "queue.updated"
QUEUE_ALERT = "queue.alert"
NOTIFICATION = "notification"  # a new notification for user:<id>, with the unread count
NOTIFICATION_READ = "notification.read"  # user:<id> read some: the new unread count
OPINION_UPDATED = "opinion.updated"  # a call's opinion map was recomputed (opinions/services.py)
# A prize's panel (prizes/services/assessments.py). On user:<id>, the
# assessor's own: applications assigned to them, or moved to someone else
# ({"prize", "count"}). On sheet:<prize id>: assignments made or moved
# ({"stage", "assignments"}) and a score sheet submitted ({"stage",
# "application", "assessed", "assigned"}); never who scored or what.
ASSIGNMENT_ADDED = "assignment.added"
ASSIGNMENT_REMOVED = "assignment.removed"
SHEET_ASSIGNED = "sheet.assigned"
SHEET_SCORED = "sheet.scored"

BACKLOG = 200  # events kept per topic for catch-up after a reconnect
LOG_TTL = 24 * 3600  # seconds a quiet topic's log is kept


def group_name(topic):
    return "t." + topic.replace(":", ".")


def _seq_key(topic):
    return f"live:seq:{topic}"


def _log_key(topic):
    return f"live:log:{topic}"


def next_seq(topic):
    """Increasing per topic. A new counter starts at the current time in
    milliseconds, so numbers keep growing even if Redis lost its data."""
    key = _seq_key(topic)
    try:
        return cache.incr(key)
    except ValueError:
        cache.add(key, int(time.time() * 1000), timeout=None)
        return cache.incr(key)


def current_seq(topic):
    try:
        return int(cache.get(_seq_key(topic)) or 0)
    except Exception:
        return 0


def _redis(key):
    """(client, full key) when the cache is Redis, else (None, None). The
    catch-up log needs atomic appends, which the cache API does not offer."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None, None
    full_key = backend.make_and_validate_key(key)
    return backend._cache.get_client(full_key, write=True), full_key


_log_lock = threading.Lock()  # the in-memory cache: one process, many threads


def _append_log(topic, message):
    """Every event of a topic joins its log, whoever publishes it at the same
    moment: on Redis a sorted set scored by sequence number, changed in one
    MULTI/EXEC (a read-modify-write of a cached list lost three events in four
    with 16 threads publishing: tests/live/test_backlog.py)."""
    client, key = _redis(_log_key(topic))
    if client is not None:
        pipe = client.pipeline(transaction=True)
        pipe.zadd(key, {json.dumps(message, separators=(",", ":")): message["seq"]})
        pipe.zremrangebyrank(key, 0, -(BACKLOG + 1))
        pipe.expire(key, LOG_TTL)
        pipe.execute()
        return
    with _log_lock:
        log = (cache.get(_log_key(topic)) or [])[-(BACKLOG - 1) :]
        log.append(message)
        cache.set(_log_key(topic), log, timeout=LOG_TTL)


def backlog(topic, since):
    """The topic's kept events after `since`, in sequence order."""
    try:
        client, key = _redis(_log_key(topic))
        if client is not None:
            return [json.loads(row) for row in client.zrangebyscore(key, f"({int(since)}", "+inf")]
        events = cache.get(_log_key(topic)) or []
    except Exception:
        logger.warning("live backlog unavailable for %s", topic, exc_info=True)
        return []
    return sorted((e for e in events if e["seq"] > since), key=lambda e: e["seq"])


def _group_send(group, payload):
    layer = get_channel_layer()
    if layer is None:
        return
    loops = running_loops() if isinstance(layer, InMemoryChannelLayer) else []
    if not loops:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            async_to_sync(layer.group_send)(group, payload)
            return
        # Called from sync code on a thread that runs an event loop: send
        # from a helper thread rather than block or fail on this one.
        worker = threading.Thread(target=async_to_sync(layer.group_send), args=(group, payload), daemon=True)
        worker.start()
        worker.join(5)
        return
    # The in-memory layer's queues belong to the server's event loop: hand the
    # send to that loop, whichever thread (request or tally flusher) we are on.
    try:
        current = asyncio.get_running_loop()
    except RuntimeError:
        current = None
    for loop in loops:
        if loop is current:  # already on that loop: cannot block on it
            loop.create_task(layer.group_send(group, payload))
            continue
        future = asyncio.run_coroutine_threadsafe(layer.group_send(group, payload), loop)
        future.result(timeout=5)


def publish(topic, event, data):
    """Send an event to the topic's subscribers; returns the message sent,
    or None when it failed or was relayed: a process that serves no sockets
    on the in-memory layer (the worker) hands it to the server through the
    relay table (live/relay.py), and the server numbers and sends it."""
    if relay.relaying():
        try:
            relay.write(topic, event, data, time.time())
        except Exception:  # the write stands; pages catch up on reload
            logger.warning("live relay write failed for %s %s", topic, event, exc_info=True)
        return None
    return deliver(topic, event, data)


def deliver(topic, event, data, at=None):
    """Publish in this process: numbered, logged for catch-up, sent to the
    layer. `at` is when it was published, if earlier (a relayed event)."""
    try:
        seq = next_seq(topic)
        # "at" is the publish time (after commit), for latency measurements.
        message = {"type": "event", "topic": topic, "seq": seq, "event": event, "data": data,
                   "at": time.time() if at is None else at}
        try:
            _append_log(topic, message)
        except Exception:  # the live send still goes; only a later catch-up could miss it
            logger.warning("live log append failed for %s", topic, exc_info=True)
        _group_send(group_name(topic), {"type": "live.event", "message": message})
        return message
    except Exception:  # Redis down or similar: the write stands, live catches up later
        logger.warning("live publish failed for %s %s", topic, event, exc_info=True)
        return None


def publish_on_commit(topic, event, data):
    transaction.on_commit(lambda: publish(topic, event, data))


# --- coalesced tallies ---------------------------------------------------------

TALLY_WINDOW = 0.25  # seconds: at most one tally message per topic per window


class TallyCoalescer:
    """Turns a burst of votes into at most one tally message per topic per
    window, holding every idea of that topic whose votes changed, each with
    the count read from the database when the message is sent.

    Per topic, not per idea: a call page shows many ideas, and one message
    carrying six changed tallies costs every subscriber one frame instead of
    six (docs/benchmarks.md, "Live fan-out"). The first vote after a quiet
    spell goes out at once (leading edge); votes inside the window are folded
    into one message at the window's end (trailing edge), so the last message
    always holds the final counts. One daemon thread per process sends."""

    def __init__(self, window=TALLY_WINDOW):
        self.window = window
        self.cond = threading.Condition()
        self.pending = {}  # topic -> set of idea ids
        self.due = []  # heap of (time, topic)
        self.last_sent = {}
        self.thread = None
        self.sent = 0
        self.flushing = 0  # topics taken off `due` whose message is not sent yet

    def submit(self, idea_id, topics):
        with self.cond:
            now = time.monotonic()
            for topic in topics:
                if topic in self.pending:
                    self.pending[topic].add(idea_id)
                    continue
                self.pending[topic] = {idea_id}
                at = max(now, self.last_sent.get(topic, 0) + self.window)
                heapq.heappush(self.due, (at, topic))
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="live-tallies", daemon=True)
                self.thread.start()
            self.cond.notify()

    def _run(self):
        while True:
            with self.cond:
                while not self.due or self.due[0][0] > time.monotonic():
                    timeout = (self.due[0][0] - time.monotonic()) if self.due else None
                    self.cond.wait(timeout)
                _, topic = heapq.heappop(self.due)
                idea_ids = self.pending.pop(topic, set())
                self.flushing += 1
                self.last_sent[topic] = time.monotonic()
                if len(self.last_sent) > 10000:
                    cutoff = time.monotonic() - self.window
                    self.last_sent = {k: v for k, v in self.last_sent.items() if v > cutoff}
            try:
                rows = read_tallies(topic, idea_ids)
                if rows:
                    publish(topic, TALLY, {"ideas": rows})
                    self.sent += 1
            except Exception:
                logger.warning("tally flush failed for %s", topic, exc_info=True)
            finally:
                # Hand the connection back (to the pool on PostgreSQL) rather
                # than hold one through the idle time between bursts.
                close_old_connections()
                with self.cond:
                    self.flushing -= 1

    def drain(self, timeout=5.0):
        """Wait until nothing is pending (tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.cond:
                if not self.due and not self.flushing:
                    return True
            time.sleep(0.01)
        return False


_tally_reader = None


def set_tally_reader(reader):
    """Register `reader(topic, idea_ids)`, which returns the current tally
    rows of these ideas as the topic's subscribers may see them. The ideas
    app owns the counts and the visibility rules, so it registers this from
    its AppConfig.ready() (ideas/live_topics.py)."""
    global _tally_reader
    _tally_reader = reader


def read_tallies(topic, idea_ids):
    """The tally rows to send on this topic: whatever the registered reader
    returns, nothing when no app registered one."""
    if _tally_reader is None:
        logger.warning("live: no tally reader registered; tally for %s dropped", topic)
        return []
    return _tally_reader(topic, idea_ids)


tallies = TallyCoalescer()


def tally_on_commit(idea_id, topics):
    transaction.on_commit(lambda: tallies.submit(idea_id, topics))
