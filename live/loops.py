"""The event loops of this process that serve sockets: one hub per loop
(live/hub.py makes them). Read by live/events.py, to send on the in-memory
layer from the loop that owns its queues, and by the relay's poller
(live/poller.py), to hand over to another loop; apart from the hub, which
imports both."""

hubs = {}


def running_loops():
    """Event loops of this process that serve sockets right now."""
    return [loop for loop, hub in list(hubs.items()) if loop.is_running() and hub.channel is not None]
