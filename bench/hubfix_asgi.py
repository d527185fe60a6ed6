"""cms.asgi with one change, to measure a proposed fix without editing live/:
the /ws/live/ consumer opts out of its own channel-layer channel.

Channels gives every consumer a layer channel when a layer is configured
(AsyncConsumer.__call__: new_channel() plus a receive() that waits on it).
LiveConsumer never uses its channel: the hub (live/hub.py) holds the
process's one channel per topic. The unused channels still cost:
- In-memory layer: one queue per socket in layer.channels. Every receive()
  and group_send() runs _clean_expired(), which scans all of them. That is
  O(sockets) per connect, per published event and per hub receive.
- RedisPubSubChannelLayer: new_channel() SUBSCRIBEs one Redis channel per
  socket, and disconnect UNSUBSCRIBEs it.

Setting channel_layer_alias to an alias that is not configured makes
get_channel_layer() return None, so Channels skips both. The proposed fix
is this one class attribute on live.consumers.LiveConsumer.

    DJANGO_SETTINGS_MODULE=cms.settings.dev uvicorn bench.hubfix_asgi:application --no-access-log
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

from cms.asgi import django_asgi_app  # noqa: E402  (sets up Django)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402

from live.consumers import LiveConsumer  # noqa: E402


class LiveConsumerNoLayerChannel(LiveConsumer):
    channel_layer_alias = None  # not a configured alias: get_channel_layer() -> None


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([path("ws/live/", LiveConsumerNoLayerChannel.as_asgi())]))
        ),
    }
)
