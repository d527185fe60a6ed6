"""A client that stops reading must not stall delivery to anyone else, and
everything a socket sends keeps the order it was queued in."""

import asyncio

import pytest

from live import consumers
from live.asgi import SERVER_SEND, KeepServerSend
from live.hub import Hub


class Probe(consumers.LiveConsumer):
    """LiveConsumer with the socket replaced: `server_send` records frames,
    or never returns when stuck, like a full socket buffer."""

    def __init__(self, stuck=False):
        self.stuck = stuck
        self.sent = []
        self.closed = None
        self.topics = {"call:1": 0.0}
        self.holding = {}
        self.outbox = consumers.deque()
        self.wake = None
        self.closing = False
        self.server_send = self._record
        self.sender = asyncio.ensure_future(self._drain())

    async def _record(self, frame):
        if self.stuck:
            await asyncio.Event().wait()
        self.sent.append(frame["text"])

    async def close(self, code=None, reason=None):
        self.closed = code

    async def unsubscribe(self, topic):
        self.topics.pop(topic, None)


def event(seq, topic="call:1", name="tally"):
    return {"type": "event", "topic": topic, "seq": seq, "event": name, "data": {}}


async def test_a_stuck_socket_does_not_block_the_others_and_is_dropped_when_far_behind():
    hub = Hub(asyncio.get_running_loop())
    stuck, healthy = Probe(stuck=True), Probe()
    hub.local["call:1"] = {stuck, healthy}
    for seq in range(consumers.OUTBOX + 5):
        await asyncio.wait_for(hub.deliver(event(seq)), 1)
    await asyncio.sleep(0.05)
    assert [int(t.split('"seq":')[1].split(",")[0]) for t in healthy.sent] == list(range(consumers.OUTBOX + 5))
    assert stuck.closed == consumers.TOO_SLOW and stuck.topics == {}
    for probe in (stuck, healthy):
        probe.sender.cancel()


@pytest.mark.django_db(transaction=True)
async def test_events_for_a_topic_being_caught_up_wait_behind_the_backlog(monkeypatch):
    """A reconnecting client asks for what it missed (`since`); a live event
    that arrives while the backlog is read must reach it after the backlog,
    or the client, which drops sequence numbers it has passed, loses events."""
    hub = Hub(asyncio.get_running_loop())
    probe = Probe()
    probe.topics = {}
    probe.scope = {"user": None}

    async def add(topic, consumer):
        hub.local[topic].add(consumer)

    monkeypatch.setattr(hub, "add", add)
    monkeypatch.setattr(consumers, "get_hub", lambda: hub)

    def catch_up(user, topic, since):
        # While the thread reads the backlog, events 8 (also in the backlog) and 9 go out live.
        asyncio.run_coroutine_threadsafe(hub.deliver(event(8)), loop).result()
        asyncio.run_coroutine_threadsafe(hub.deliver(event(9)), loop).result()
        return 8, [event(6), event(7), event(8)]

    loop = asyncio.get_running_loop()
    monkeypatch.setattr(consumers, "_authorise_and_catch_up", catch_up)
    await probe.subscribe("call:1", 5)
    await asyncio.sleep(0.05)
    seqs = [(t.split('"type":"')[1].split('"')[0], t.split('"seq":')[1].split(",")[0].rstrip("}")) for t in probe.sent]
    assert seqs == [("subscribed", "8"), ("event", "6"), ("event", "7"), ("event", "8"), ("event", "9")]
    probe.sender.cancel()


async def test_keep_server_send_hands_the_servers_send_to_the_app():
    seen = {}

    async def app(scope, receive, send):
        seen["send"] = scope[SERVER_SEND]

    async def server_send(message):
        pass

    await KeepServerSend(app)({"type": "websocket"}, None, server_send)
    assert seen["send"] is server_send


@pytest.mark.django_db(transaction=True)
async def test_live_frames_bypass_the_session_wrapper(site):
    """After the handshake, events go straight to the server's send: the
    session middleware's wrapper is not on the path any more."""
    from channels.sessions import InstanceSessionWrapper
    from channels.testing import WebsocketCommunicator

    from cms.asgi import application

    calls = []
    original = InstanceSessionWrapper.send

    async def counting(self, message):
        calls.append(message["type"])
        return await original(self, message)

    InstanceSessionWrapper.send = counting
    try:
        ws = WebsocketCommunicator(application, "/ws/live/", headers=[(b"origin", b"http://127.0.0.1:8000")])
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from() == {"type": "pong"}
        await ws.disconnect()
    finally:
        InstanceSessionWrapper.send = original
    assert calls == ["websocket.accept"]
