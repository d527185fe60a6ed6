"""/ws/live/: one socket per page, many topics. Protocol in docs/live-protocol.md.

Sockets subscribe through the per-process hub (live/hub.py). Access is
checked on subscribe and again on send: an `idea.removed` event makes every
subscriber re-check the idea, and private topics (moderation, user) are
re-checked when their last check is older than RECHECK_SECONDS."""

import asyncio
import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from . import events
from .hub import get_hub
from .topics import TopicError, authorise

MAX_TOPICS = 50
OUTBOX = 200  # queued events per socket; a client further behind is disconnected
RECHECK_SECONDS = 60
PRIVATE_KINDS = ("moderation:", "user:")


def _authorise_and_seq(user, topic):
    """One thread hop per subscribe: the access check and the current sequence."""
    authorise(user, topic)
    return events.current_seq(topic)


class LiveConsumer(AsyncWebsocketConsumer):
    # No layer channel per socket: the hub holds one per process. (A channel
    # per socket made every publish scan N queues; see docs/benchmarks.md.)
    channel_layer_alias = None

    async def connect(self):
        self.topics = {}  # topic -> time of the last access check
        # The hub only puts into this outbox, so a client that stops reading
        # never stalls delivery to the others; its own task does the sending.
        self.outbox = asyncio.Queue(maxsize=OUTBOX)
        self.sender = asyncio.ensure_future(self._drain())
        await self.accept()

    async def disconnect(self, code):
        hub = get_hub()
        for topic in list(self.topics):
            await hub.discard(topic, self)
        self.topics = {}
        sender = getattr(self, "sender", None)
        if sender is not None:
            sender.cancel()

    async def _drain(self):
        while True:
            text = await self.outbox.get()
            await self.send(text_data=text)

    async def send_json(self, content):
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def receive(self, text_data=None, bytes_data=None):
        try:
            content = json.loads(text_data or "")
        except ValueError:
            content = None
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "code": "bad_message", "message": "Send a JSON object."})
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "subscribe":
            await self.subscribe(content.get("topic"), content.get("since"))
        elif kind == "unsubscribe":
            topic = content.get("topic")
            await self.unsubscribe(topic)
            await self.send_json({"type": "unsubscribed", "topic": topic})
        else:
            await self.send_json(
                {"type": "error", "code": "bad_message", "message": "Unknown message type; use subscribe, unsubscribe or ping."}
            )

    async def subscribe(self, topic, since):
        user = self.scope.get("user")
        try:
            if not isinstance(topic, str):
                raise TopicError("unknown_topic", "Send a topic such as call:12.")
            if len(self.topics) >= MAX_TOPICS and topic not in self.topics:
                raise TopicError("too_many_topics", f"At most {MAX_TOPICS} topics per connection.")
            seq = await database_sync_to_async(_authorise_and_seq)(user, topic)
        except TopicError as exc:
            await self.send_json({"type": "error", "topic": topic, "code": exc.code, "message": exc.message})
            return
        self.topics[topic] = time.monotonic()
        await get_hub().add(topic, self)
        await self.send_json({"type": "subscribed", "topic": topic, "seq": seq})
        if isinstance(since, int) and not isinstance(since, bool) and since >= 0:
            for message in await database_sync_to_async(events.backlog)(topic, since):
                await self.send_json(message)

    async def unsubscribe(self, topic):
        if topic in self.topics:
            del self.topics[topic]
            await get_hub().discard(topic, self)

    async def _still_allowed(self, topic):
        try:
            await database_sync_to_async(authorise)(self.scope.get("user"), topic)
        except TopicError as exc:
            await self.unsubscribe(topic)
            await self.send_json({"type": "error", "topic": topic, "code": exc.code, "message": exc.message})
            return False
        self.topics[topic] = time.monotonic()
        return True

    async def deliver(self, message, text):
        """Called by the hub with the event and its JSON, serialised once per process."""
        topic = message["topic"]
        checked = self.topics.get(topic)
        if checked is None:
            return
        if topic.startswith(PRIVATE_KINDS) and time.monotonic() - checked > RECHECK_SECONDS:
            if not await self._still_allowed(topic):
                return
        try:
            self.outbox.put_nowait(text)
        except asyncio.QueueFull:
            # Too far behind: drop the socket; the client reconnects and
            # catches up by sequence number.
            await self.unsubscribe_all()
            await self.close(code=4008)
            return
        if message.get("event") == "idea.removed" and topic.startswith("idea:"):
            await self._still_allowed(topic)

    async def unsubscribe_all(self):
        for topic in list(self.topics):
            await self.unsubscribe(topic)
