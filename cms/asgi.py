"""HTTP and WebSocket routing. The WebSocket side sits behind the session
auth middleware and an origin check against ALLOWED_HOSTS."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from live.asgi import KeepServerSend  # noqa: E402
from live.routing import websocket_urlpatterns  # noqa: E402

from cms.runtime import lifespan  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "lifespan": lifespan,
        "websocket": AllowedHostsOriginValidator(
            KeepServerSend(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
