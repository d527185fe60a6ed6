"""ASGI glue for the live socket."""

SERVER_SEND = "missioncommons.server_send"


class KeepServerSend:
    """Puts the server's own `send` in the scope before the auth stack wraps it.

    Channels' session middleware wraps every `send` to save the session on the
    handshake; after the handshake it only costs time, and a live event is
    sent to thousands of sockets. LiveConsumer sends its frames through this
    one (see docs/benchmarks.md, "Live fan-out")."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        return await self.app({**scope, SERVER_SEND: send}, receive, send)
