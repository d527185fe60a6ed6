"""Whatever a stranger sends on /ws/live/ gets a specific error, the socket
stays usable, and nothing stays registered in the hub (issue #12: a subscribe
to a topic the layer refuses as a group name crashed the socket after
hub.add(), disconnect() never ran, and each such socket stayed in memory)."""

import gc
import json
import tracemalloc

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from cms.asgi import application
from live import consumers
from live.hub import Hub, get_hub
from live.topics import TopicError

# The handshake's session lookup touches the database, from another thread.
pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def open_socket():
    ws = WebsocketCommunicator(application, "/ws/live/", headers=[ORIGIN])
    assert (await ws.connect())[0]
    return ws


def sub(topic, **extra):
    return json.dumps({"type": "subscribe", "topic": topic, **extra})


HOSTILE = [
    # (id, frame: text, or bytes for a binary frame, expected error code)
    ("space", sub("call: 1"), "unknown_topic"),
    ("non-ascii", sub("call:é"), "unknown_topic"),
    ("non-ascii digits", sub("call:١٢"), "unknown_topic"),
    ("trailing newline", sub("call:1\n"), "unknown_topic"),
    ("99 characters", sub("a" * 99), "unknown_topic"),
    ("13 digits", sub("call:" + "1" * 13), "unknown_topic"),
    ("lone surrogate", sub("call:\ud800"), "unknown_topic"),
    ("number topic", sub(42), "unknown_topic"),
    ("list topic", sub(["call:1"]), "unknown_topic"),
    ("dict topic", sub({"call": 1}), "unknown_topic"),
    ("null topic", sub(None), "unknown_topic"),
    ("no topic", json.dumps({"type": "subscribe"}), "unknown_topic"),
    ("10 KB topic", sub("call:" + "1" * 10_000), "bad_message"),
    ("oversized frame", json.dumps({"type": "ping", "pad": "x" * 5000}), "bad_message"),
    ("oversized non-ascii frame", json.dumps({"type": "ping", "pad": "é" * 2100}, ensure_ascii=False), "bad_message"),
    ("negative since", sub("call:1", since=-1), "bad_message"),
    ("string since", sub("call:1", since="5"), "bad_message"),
    ("float since", sub("call:1", since=1.5), "bad_message"),
    ("boolean since", sub("call:1", since=True), "bad_message"),
    ("huge since", sub("call:1", since=2**64), "bad_message"),
    ("list since", sub("call:1", since=[1]), "bad_message"),
    ("JSON array", "[]", "bad_message"),
    ("JSON string", '"subscribe"', "bad_message"),
    ("JSON number", "5", "bad_message"),
    ("JSON null", "null", "bad_message"),
    ("not JSON", "subscribe call:1", "bad_message"),
    ("deep nesting", "[" * 4000, "bad_message"),
    ("binary frame", b'{"type":"ping"}', "bad_message"),
    ("unknown type", json.dumps({"type": "dance"}), "bad_message"),
    ("no type", json.dumps({"topic": "call:1"}), "bad_message"),
    ("list type", json.dumps({"type": ["ping"]}), "bad_message"),
    ("unsubscribe space", json.dumps({"type": "unsubscribe", "topic": "call: 1"}), "unknown_topic"),
    ("unsubscribe list", json.dumps({"type": "unsubscribe", "topic": ["call:1"]}), "unknown_topic"),
    ("unsubscribe dict", json.dumps({"type": "unsubscribe", "topic": {"a": 1}}), "unknown_topic"),
    ("unsubscribe 10 KB", json.dumps({"type": "unsubscribe", "topic": "x" * 10_000}), "bad_message"),
]


async def send(ws, frame):
    if isinstance(frame, bytes):
        await ws.send_to(bytes_data=frame)
    else:
        await ws.send_to(text_data=frame)


@pytest.mark.parametrize("frame,code", [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
async def test_each_hostile_message_gets_its_error_and_the_socket_stays_usable(frame, code):
    ws = await open_socket()
    await send(ws, frame)
    reply = await ws.receive_json_from()
    assert reply["type"] == "error" and reply["code"] == code, reply
    assert reply["message"]
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    assert dict(get_hub().local) == {}
    await ws.disconnect()
    assert dict(get_hub().local) == {}


async def test_an_unknown_topic_error_names_the_topic_it_refused():
    ws = await open_socket()
    await ws.send_json_to({"type": "subscribe", "topic": "call: 1"})
    assert (await ws.receive_json_from())["topic"] == "call: 1"
    await ws.send_json_to({"type": "subscribe", "topic": {"a": 1}})
    assert "topic" not in await ws.receive_json_from()  # only strings are echoed
    await ws.disconnect()


def hostile_frame(i):
    """A thousand different hostile subscribes: distinct topics of every bad shape."""
    shapes = [
        lambda: sub(f"call: {i}"),
        lambda: sub(f"idea:{i}é"),
        lambda: sub("t" * (98 + i % 50)),
        lambda: sub(f"call:{i}" + "9" * 5000),
        lambda: sub([i]),
        lambda: sub({"n": i}),
        lambda: sub(i),
        lambda: sub(f"call:{i}", since=-i - 1),
        lambda: json.dumps([i]),
        lambda: json.dumps({"type": "unsubscribe", "topic": [i]}),
    ]
    return shapes[i % len(shapes)]()


async def hostile_round(sockets, per_socket, start):
    for n, ws in enumerate(sockets):
        for k in range(per_socket):
            await ws.send_to(text_data=hostile_frame(start + n * per_socket + k))
            assert (await ws.receive_json_from())["type"] == "error"
        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from() == {"type": "pong"}


async def test_a_thousand_hostile_subscribes_leave_the_hub_and_memory_where_they_were(site):
    from ..factories import CallFactory, MissionFactory

    call = await sync_to_async(lambda: CallFactory(parent=MissionFactory()))()
    topic = f"call:{call.pk}"
    legit = await open_socket()
    await legit.send_json_to({"type": "subscribe", "topic": topic})
    assert (await legit.receive_json_from())["type"] == "subscribed"
    hub = get_hub()
    before = {t: len(members) for t, members in hub.local.items()}
    assert before == {topic: 1}

    # Warm-up round (imports, caches, the regex cache), then the measured one.
    sockets = [await open_socket() for _ in range(5)]
    await hostile_round(sockets, 20, start=0)
    for ws in sockets:
        await ws.disconnect()
    gc.collect()
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        sockets = [await open_socket() for _ in range(10)]
        await hostile_round(sockets, 100, start=100)
        assert {t: len(members) for t, members in hub.local.items()} == before
        for ws in sockets:
            await ws.disconnect()
        del sockets, ws
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - baseline
    finally:
        tracemalloc.stop()

    assert {t: len(members) for t, members in hub.local.items()} == before
    # The regression was ~1.2 MiB per socket; ten sockets and a thousand
    # messages must leave well under one.
    assert grown < 1024 * 1024, f"grew by {grown} bytes"
    await legit.send_json_to({"type": "ping"})
    assert await legit.receive_json_from() == {"type": "pong"}
    await legit.disconnect()
    assert dict(hub.local) == {}


async def test_an_unexpected_error_in_a_handler_closes_the_socket_and_leaves_nothing(monkeypatch):
    def broken(user, topic, since):
        raise RuntimeError("database gone")

    monkeypatch.setattr(consumers, "_authorise_and_catch_up", broken)
    ws = await open_socket()
    await ws.send_json_to({"type": "subscribe", "topic": "call:1"})
    closed = await ws.receive_output()
    assert closed == {"type": "websocket.close", "code": consumers.SERVER_ERROR}
    assert dict(get_hub().local) == {}
    await ws.disconnect()


async def test_a_consumer_that_crashes_still_leaves_every_topic(monkeypatch):
    """An exception that escapes the handlers entirely (Channels then never
    calls disconnect()) still takes the socket's registrations with it."""
    monkeypatch.setattr(consumers, "_authorise_and_catch_up", lambda user, topic, since: (1, []))
    ws = await open_socket()
    await ws.send_json_to({"type": "subscribe", "topic": "call:1"})
    assert (await ws.receive_json_from())["type"] == "subscribed"
    assert set(get_hub().local) == {"call:1"}

    def explode(text_data, bytes_data):
        raise RuntimeError("bug")

    monkeypatch.setattr(consumers, "parse_message", explode)
    await ws.send_json_to({"type": "ping"})
    with pytest.raises(RuntimeError, match="bug"):
        await ws.receive_output()
    assert dict(get_hub().local) == {}


class RefusingLayer:
    async def group_add(self, group, channel):
        raise ConnectionError("layer down")


async def test_hub_add_leaves_nothing_when_the_layer_refuses():
    import asyncio

    hub = Hub(asyncio.get_running_loop())
    hub.layer, hub.channel = RefusingLayer(), "hub.test"
    consumer = object()
    with pytest.raises(ConnectionError):
        await hub.add("call:1", consumer)
    assert dict(hub.local) == {}
    with pytest.raises(TopicError):
        await hub.add("call: 1", consumer)  # the hub checks the grammar itself
    assert dict(hub.local) == {}
