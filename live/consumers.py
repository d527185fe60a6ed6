"""/ws/live/: one socket per page, many topics. Protocol in docs/live-protocol.md."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import events
from .topics import TopicError, authorise

MAX_TOPICS = 50


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.topics = set()
        await self.accept()

    async def disconnect(self, code):
        for topic in list(self.topics):
            await self.channel_layer.group_discard(events.group_name(topic), self.channel_name)

    async def receive_json(self, content, **kwargs):
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
            if topic in self.topics:
                self.topics.discard(topic)
                await self.channel_layer.group_discard(events.group_name(topic), self.channel_name)
            await self.send_json({"type": "unsubscribed", "topic": topic})
        else:
            await self.send_json(
                {"type": "error", "code": "bad_message", "message": "Unknown message type; use subscribe, unsubscribe or ping."}
            )

    async def decode_json(self, text_data):
        import json

        try:
            return json.loads(text_data)
        except ValueError:
            return None

    async def subscribe(self, topic, since):
        user = self.scope.get("user")
        try:
            if len(self.topics) >= MAX_TOPICS and topic not in self.topics:
                raise TopicError("too_many_topics", f"At most {MAX_TOPICS} topics per connection.")
            await database_sync_to_async(authorise)(user, topic)
        except TopicError as exc:
            await self.send_json({"type": "error", "topic": topic, "code": exc.code, "message": exc.message})
            return
        await self.channel_layer.group_add(events.group_name(topic), self.channel_name)
        self.topics.add(topic)
        seq = await database_sync_to_async(events.current_seq)(topic)
        await self.send_json({"type": "subscribed", "topic": topic, "seq": seq})
        if isinstance(since, int) and since >= 0:
            for message in await database_sync_to_async(events.backlog)(topic, since):
                await self.send_json(message)

    async def live_event(self, event):
        message = event["message"]
        if message["topic"] in self.topics:
            await self.send_json(message)
