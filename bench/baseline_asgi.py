"""Baseline for bench/live_fanout.py: the plain Channels fan-out.

HTTP is cms.asgi's Django application (so votes go through the same API,
services, on_commit hooks and TallyCoalescer as on the real server). The
WebSocket side routes /ws/baseline/ to BaselineConsumer, the textbook Channels
pattern: each socket joins the layer group of every topic it subscribes to,
and each group_send becomes one layer message per socket, deep-copied by the
in-memory layer, received by that consumer's own task and serialised by its
own send_json.

The events are published by live.events.publish with
group_send(group_name(topic), ...). The group name is the one the hub uses,
so the group holds the BaselineConsumer channels and the message reaches
each of them.

One detail keeps the comparison fair. Tallies are published from the
TallyCoalescer's thread. With the in-memory layer, live.events._group_send
sends on the server's event loop only when that loop is listed by
live.loops.running_loops(), which lists only loops whose hub has a channel.
The in-memory layer's asyncio queues belong to that loop. Without the
listing, the send would run under async_to_sync on a foreign loop and wake
the consumers' waiters from the wrong thread. So each consumer makes sure,
on connect, that its loop's hub has a channel. That channel never joins any
group, so the hub does no fan-out work here.

Serve with:
    DJANGO_SETTINGS_MODULE=cms.settings.dev uvicorn bench.baseline_asgi:application --no-access-log
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

from cms.asgi import django_asgi_app  # noqa: E402  (sets up Django)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402

from live.events import group_name  # noqa: E402
from live.hub import get_hub  # noqa: E402
from live.topics import TOPIC_RE  # noqa: E402


class BaselineConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.groups_joined = set()
        # Only registers this loop for live.events._group_send (see module docstring).
        await get_hub()._ensure_channel()
        await self.accept()

    async def disconnect(self, code):
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined = set()

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        topic = content.get("topic") if isinstance(content, dict) else None
        if kind == "subscribe" and isinstance(topic, str) and TOPIC_RE.match(topic):
            group = group_name(topic)
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.add(group)
            await self.send_json({"type": "subscribed", "topic": topic, "seq": 0})
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "topic": topic, "code": "bad_message", "message": "baseline"})

    async def live_event(self, event):
        await self.send_json(event["message"])


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([path("ws/baseline/", BaselineConsumer.as_asgi())]))
        ),
    }
)
