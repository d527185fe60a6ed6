"""/ws/live/: one socket per page, many topics. Protocol in docs/live-protocol.md.

Sockets subscribe through the per-process hub (live/hub.py). Access is
checked on subscribe and again on send: an `idea.removed` event makes every
subscriber re-check the idea, and private topics (moderation, user) are
re-checked when their last check is older than RECHECK_SECONDS.

Everything a socket sends after the handshake (replies, replayed backlog,
live events) goes through one outbox, drained by the socket's own task, so
a client sees it in the order it was queued and a client that stops reading
never holds up anyone else. The hub only appends to outboxes; it never
awaits a socket.

Every client frame is checked whole (size, JSON object, type, topic grammar,
`since`) before anything is registered, and whatever happens inside a
handler, a socket that ends leaves nothing in the hub (issue #12: a topic the
layer refused as a group name crashed the socket half-registered, and every
such socket stayed in memory for good)."""

import asyncio
import json
import logging
import time
from collections import deque

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from . import events
from .asgi import SERVER_SEND
from .hub import get_hub
from .topics import IDEA, PRIVATE_KINDS, TopicError, authorise, kind_of, parse_topic

logger = logging.getLogger("missioncommons.live")

MAX_TOPICS = 50
MAX_FRAME = 4096  # bytes per client frame; a valid message is under 100
MAX_SINCE = 2**63 - 1  # sequence numbers are milliseconds plus a count
SERVER_ERROR = 1011  # close code: an unexpected error in a handler
MESSAGE_TYPES = ("subscribe", "unsubscribe", "ping")
OUTBOX = 200  # queued messages per socket; a client further behind is disconnected
RECHECK_SECONDS = 60
TOO_SLOW = 4008  # close code: the client fell more than OUTBOX messages behind


def _frame(content):
    return {"type": "websocket.send", "text": json.dumps(content, separators=(",", ":"))}


class BadMessage(TopicError):
    """A refused client frame: `code` is bad_message or unknown_topic;
    `topic` is the frame's topic when it was a string, echoed in the error
    so a client can tell which subscribe failed."""

    def __init__(self, code, message, topic=None):
        super().__init__(code, message)
        self.topic = topic if isinstance(topic, str) else None


def parse_message(text_data, bytes_data):
    """(type, topic, since) of a well-formed client frame, else BadMessage:
    bad_message for size, JSON, type and `since`; unknown_topic for a topic
    outside the grammar (a missing or non-string one included, as before).
    Unknown extra fields are ignored: the frame cap bounds them."""
    if text_data is None:
        raise BadMessage("bad_message", "Send JSON text frames; binary frames are not accepted.")
    if len(text_data) > MAX_FRAME or (
        not text_data.isascii() and len(text_data.encode("utf-8", "surrogatepass")) > MAX_FRAME
    ):
        raise BadMessage("bad_message", f"Frames may be at most {MAX_FRAME} bytes.")
    try:
        content = json.loads(text_data)
    except (ValueError, RecursionError):  # deep nesting raises RecursionError
        content = None
    if not isinstance(content, dict):
        raise BadMessage("bad_message", "Send a JSON object.")
    kind, topic, since = content.get("type"), content.get("topic"), content.get("since")
    if not isinstance(kind, str) or kind not in MESSAGE_TYPES:
        raise BadMessage("bad_message", "Unknown message type; use subscribe, unsubscribe or ping.", topic)
    if kind == "ping":
        return kind, None, None
    if kind == "subscribe" and since is not None and not (type(since) is int and 0 <= since <= MAX_SINCE):
        raise BadMessage(
            "bad_message", "since must be a whole number of zero or more: the last sequence number you saw.", topic
        )
    try:
        parse_topic(topic)
    except TopicError as exc:
        raise BadMessage(exc.code, exc.message, topic) from None
    return kind, topic, since


def _authorise_and_catch_up(user, topic, since):
    """One thread hop per subscribe: the access check, the current sequence
    number and the events after `since`, read after the hub membership, so
    nothing published in between is missed."""
    authorise(user, topic)
    seq = events.current_seq(topic)
    missed = events.backlog(topic, since) if since is not None else []
    return seq, missed


class LiveConsumer(AsyncWebsocketConsumer):
    # No layer channel per socket: the hub holds one per process. (A channel
    # per socket made every publish scan N queues; see docs/benchmarks.md.)
    channel_layer_alias = None

    async def connect(self):
        self.topics = {}  # topic -> time of the last access check
        self.holding = {}  # topic -> live events that arrived while its backlog was being read
        self.outbox = deque()
        self.wake = None
        self.closing = False
        # The server's own send, below Channels' session wrapper (which only
        # acts on the handshake): see live/asgi.py. Absent when the consumer
        # is mounted without that middleware.
        self.server_send = self.scope.get(SERVER_SEND) or self.base_send
        self.sender = asyncio.ensure_future(self._drain())
        await self.accept()

    async def __call__(self, scope, receive, send):
        """However the consumer ends (a disconnect, or an exception Channels
        lets escape without calling disconnect()), its registrations go."""
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._release()

    async def disconnect(self, code):
        await self._release()

    async def _release(self):
        """Leave every topic and stop the sender. Safe to call twice, and
        before connect() has run."""
        self.closing = True
        topics = list(getattr(self, "topics", {})) + list(getattr(self, "holding", {}))
        self.topics = {}
        self.holding = {}
        if topics:
            hub = get_hub()
            for topic in topics:
                try:
                    await hub.discard(topic, self)
                except Exception:
                    logger.warning("live: leaving %s failed", topic, exc_info=True)
        sender = getattr(self, "sender", None)
        if sender is not None:
            sender.cancel()

    # --- the outbox -------------------------------------------------------------

    def offer(self, item):
        """Called by the hub, once per event per socket, with (event, ASGI
        message): one pair per event per process, shared by every socket's
        outbox. Never blocks."""
        topic = item[0]["topic"]
        held = self.holding.get(topic)
        if held is not None:
            held.append(item)
        elif topic in self.topics:
            self._queue(item)

    def _queue(self, item):
        if self.closing:
            return
        if len(self.outbox) >= OUTBOX:
            # Too far behind: drop the socket; the client reconnects and
            # catches up by sequence number.
            self.closing = True
            # Held, so the task is not garbage-collected before it closes.
            self._closer = asyncio.ensure_future(self._close_too_slow())
            return
        self.outbox.append(item)
        wake = self.wake
        if wake is not None:
            self.wake = None
            if not wake.done():
                wake.set_result(None)

    def reply(self, content):
        self._queue((None, _frame(content)))

    async def _drain(self):
        outbox = self.outbox
        send = self.server_send
        loop = asyncio.get_running_loop()
        while True:
            if not outbox:
                self.wake = loop.create_future()
                await self.wake
                continue
            message, frame = outbox.popleft()
            if message is not None:
                topic = message["topic"]
                checked = self.topics.get(topic)
                if checked is None:
                    continue  # unsubscribed since it was queued
                if kind_of(topic) in PRIVATE_KINDS and time.monotonic() - checked > RECHECK_SECONDS:
                    if not await self._still_allowed(topic):
                        continue
            await send(frame)
            if message is not None and message["event"] == events.IDEA_REMOVED and kind_of(message["topic"]) == IDEA:
                await self._still_allowed(message["topic"])

    async def _close_too_slow(self):
        await self.unsubscribe_all()
        await self.close(code=TOO_SLOW)

    # --- the protocol -----------------------------------------------------------

    def reply_error(self, exc, topic=None):
        content = {"type": "error", "code": exc.code, "message": exc.message}
        if isinstance(topic, str):
            content["topic"] = topic  # at most one frame's worth (MAX_FRAME)
        self.reply(content)

    async def receive(self, text_data=None, bytes_data=None):
        try:
            kind, topic, since = parse_message(text_data, bytes_data)
        except BadMessage as exc:
            self.reply_error(exc, exc.topic)
            return
        try:
            if kind == "ping":
                self.reply({"type": "pong"})
            elif kind == "subscribe":
                await self.subscribe(topic, since)
            else:
                await self.unsubscribe(topic)
                self.reply({"type": "unsubscribed", "topic": topic})
        except Exception:
            # Nothing a client sends should get here (parse_message checked
            # it); a layer or database failure may. Leave every topic and
            # close: the client reconnects and catches up with `since`.
            logger.exception("live: %s failed; closing the socket", kind)
            await self._release()
            await self.close(code=SERVER_ERROR)

    async def subscribe(self, topic, since):
        try:
            parse_topic(topic)
        except TopicError as exc:
            self.reply_error(exc, topic)
            return
        if topic in self.holding:
            return  # a subscribe to this topic is already under way
        if len(self.topics) + len(self.holding) >= MAX_TOPICS and topic not in self.topics:
            self.reply({"type": "error", "topic": topic, "code": "too_many_topics", "message": f"At most {MAX_TOPICS} topics per connection."})
            return
        if not (type(since) is int and 0 <= since <= MAX_SINCE):
            since = None
        # Join first and hold what arrives, then read the sequence and the
        # backlog: every event is either in the backlog or held, none lost.
        hub = get_hub()
        already = topic in self.topics
        self.topics.pop(topic, None)
        self.holding[topic] = []
        if not already:
            await hub.add(topic, self)
        try:
            seq, missed = await database_sync_to_async(_authorise_and_catch_up)(self.scope.get("user"), topic, since)
        except TopicError as exc:
            self.holding.pop(topic, None)
            await hub.discard(topic, self)
            self.reply({"type": "error", "topic": topic, "code": exc.code, "message": exc.message})
            return
        held = self.holding.pop(topic, [])
        if self.closing:
            await hub.discard(topic, self)
            return
        self.topics[topic] = time.monotonic()
        self.reply({"type": "subscribed", "topic": topic, "seq": seq})
        last = seq if since is None else since
        for message in missed:
            self._queue((message, _frame(message)))
            last = max(last, message["seq"])
        for item in held:
            if item[0]["seq"] > last:
                self._queue(item)

    async def unsubscribe(self, topic):
        if isinstance(topic, str) and topic in self.topics:
            del self.topics[topic]
            await get_hub().discard(topic, self)

    async def unsubscribe_all(self):
        for topic in list(self.topics):
            await self.unsubscribe(topic)

    async def _still_allowed(self, topic):
        try:
            await database_sync_to_async(authorise)(self.scope.get("user"), topic)
        except TopicError as exc:
            await self.unsubscribe(topic)
            await self.server_send(_frame({"type": "error", "topic": topic, "code": exc.code, "message": exc.message}))
            return False
        if topic in self.topics:
            self.topics[topic] = time.monotonic()
        return True
