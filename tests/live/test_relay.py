"""The relay (live/relay.py): on the in-memory channel layer (the embedded
default, no REDIS_URL), an event published by a process that serves no
sockets (the background worker, a command) is written to the relay table,
and the server's hub publishes it to its sockets about a second later, with
the server's own sequence number and catch-up log. The server itself never
writes there. Every test here runs on the in-memory layer, whatever the
configuration (with REDIS_URL nothing is relayed: the layer is shared)."""

import asyncio
import os
import subprocess
import sys
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection
from huey.consumer import Worker
from huey.contrib.djhuey import HUEY

from cms.asgi import application
from live import events, relay
from live import poller as relay_poller
from live.models import RelayedEvent
from live.topics import call_topic

from ..servers import ROOT, server_database_url

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 5000}}}


@pytest.fixture
def in_memory_layer(settings):
    settings.CHANNEL_LAYERS = IN_MEMORY  # channels drops its cached layer when the setting changes


@pytest.fixture
def not_a_publisher():
    relay.mark_publisher(False)
    yield
    relay.mark_publisher(False)


async def subscribe(topic):
    ws = WebsocketCommunicator(application, "/ws/live/", headers=[ORIGIN])
    connected, _ = await ws.connect()
    assert connected
    await ws.send_json_to({"type": "subscribe", "topic": topic})
    reply = await ws.receive_json_from(timeout=5)
    assert reply["type"] == "subscribed", reply
    return ws, reply["seq"]


async def next_event(ws, within):
    deadline = time.monotonic() + within
    while (left := deadline - time.monotonic()) > 0:
        message = await ws.receive_json_from(timeout=left)
        if message.get("type") == "event":
            return message
    raise AssertionError("no event arrived")


@pytest.mark.django_db(transaction=True)
async def test_an_event_the_worker_publishes_reaches_the_servers_socket(in_memory_layer, not_a_publisher, call):
    topic = call_topic(call.pk)
    ws, start = await subscribe(topic)
    try:
        def as_the_worker():
            with relay.as_publisher():
                return events.publish(topic, events.OPINION_UPDATED, {"call": call.pk, "n_votes": 12})

        published_at = time.time()
        assert await sync_to_async(as_the_worker)() is None  # not sent here: relayed
        rows = await sync_to_async(list)(RelayedEvent.objects.values_list("topic", "event", "data"))
        assert rows == [(topic, events.OPINION_UPDATED, {"call": call.pk, "n_votes": 12})]

        message = await next_event(ws, 5)
        assert message["event"] == events.OPINION_UPDATED
        assert message["data"] == {"call": call.pk, "n_votes": 12}
        assert message["seq"] > start  # numbered by the server, after what the page saw
        assert published_at <= message["at"] <= time.time()  # the worker's publish time
        # And kept for a client that reconnects with `since`.
        assert [m["seq"] for m in events.backlog(topic, start)] == [message["seq"]]

        # Delivered once: the next poll does not send it again.
        await asyncio.sleep(relay.POLL_SECONDS * 1.5)
        assert await ws.receive_nothing(timeout=0.2)
    finally:
        await ws.disconnect()


@pytest.mark.django_db(transaction=True)
def test_the_server_writes_nothing_to_the_relay(in_memory_layer, not_a_publisher, call,
                                               django_assert_num_queries):
    topic = call_topic(call.pk)
    with django_assert_num_queries(0):
        message = events.publish(topic, events.OPINION_UPDATED, {"call": call.pk})
    assert message["seq"] and not RelayedEvent.objects.exists()


def test_nothing_is_relayed_on_redis_even_when_marked(settings, not_a_publisher):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                           "CONFIG": {"hosts": ["redis://127.0.0.1:6379/15"]}}}
    with relay.as_publisher():
        assert not relay.relaying()  # the layer is shared: publish sends directly
    settings.CHANNEL_LAYERS = IN_MEMORY
    with relay.as_publisher():
        assert relay.relaying()
    assert not relay.relaying()


def test_run_huey_workers_mark_themselves_at_start_up(in_memory_layer, not_a_publisher):
    """The mark is explicit: the start-up hook cms/tasks.py registers, which
    each worker of `run_huey` calls as it starts (never the server, and never
    the immediate mode of tests)."""
    assert "live-relay" in HUEY._startup
    assert not relay.relaying()
    Worker(HUEY, default_delay=0.1, max_delay=1.0, backoff=1.15).initialize()
    assert relay.relaying()


@pytest.mark.django_db(transaction=True)
def test_the_poller_delivers_each_row_once_in_order_and_rows_committed_out_of_order(monkeypatch):
    sent = []
    monkeypatch.setattr(relay_poller, "deliver", lambda topic, event, data, at=None: sent.append((topic, data["n"])))
    now = time.time()
    old = RelayedEvent.objects.create(topic="call:1", event="opinion.updated", data={"n": 0}, at=now - 60)
    poller = relay_poller.Poller(loop=None)
    assert poller.poll_once(now) == 0  # written before the server started: nobody was listening
    base = old.pk
    RelayedEvent.objects.create(pk=base + 1, topic="call:1", event="opinion.updated", data={"n": 1}, at=now)
    RelayedEvent.objects.create(pk=base + 3, topic="call:2", event="opinion.updated", data={"n": 3}, at=now)
    assert poller.poll_once(now) == 2 and sent == [("call:1", 1), ("call:2", 3)]
    assert poller.poll_once(now + 1) == 0
    # id base+2 was taken first but committed last (two workers at once on PostgreSQL).
    RelayedEvent.objects.create(pk=base + 2, topic="call:1", event="opinion.updated", data={"n": 2}, at=now)
    assert poller.poll_once(now + 2) == 1 and sent[-1] == ("call:1", 2)
    assert poller.poll_once(now + 3) == 0 and poller.gaps == {}
    # A gap no row ever fills is forgotten after GAP_SECONDS.
    RelayedEvent.objects.create(pk=base + 5, topic="call:1", event="opinion.updated", data={"n": 5}, at=now)
    assert poller.poll_once(now + 4) == 1 and set(poller.gaps) == {base + 4}
    poller.poll_once(now + 4 + relay.GAP_SECONDS)
    assert poller.gaps == {}


@pytest.mark.django_db(transaction=True)
def test_old_rows_are_pruned_so_the_table_stays_small(monkeypatch):
    monkeypatch.setattr(relay_poller, "deliver", lambda *args, **kwargs: None)
    monkeypatch.setattr(relay, "_last_prune", 0.0)
    now = time.time()
    RelayedEvent.objects.bulk_create(
        [RelayedEvent(topic="call:1", event="opinion.updated", data={}, at=now - relay.KEEP_SECONDS - 1 - i)
         for i in range(50)]
        + [RelayedEvent(topic="call:1", event="opinion.updated", data={}, at=now - 1)]
    )
    relay_poller.Poller(loop=None).poll_once(now)  # the server prunes
    assert RelayedEvent.objects.count() == 1
    # The publisher prunes too (no server may be running), at most once a minute.
    RelayedEvent.objects.create(topic="call:1", event="x", data={}, at=now - relay.KEEP_SECONDS - 5)
    monkeypatch.setattr(relay, "_last_prune", 0.0)
    relay.write("call:1", "opinion.updated", {}, now)
    assert RelayedEvent.objects.count() == 2
    RelayedEvent.objects.create(topic="call:1", event="x", data={}, at=now - relay.KEEP_SECONDS - 5)
    relay.write("call:1", "opinion.updated", {}, now)  # within the minute: no second prune
    assert RelayedEvent.objects.count() == 4


WORKER_SCRIPT = """
import django, os
django.setup()
from live import events, relay
relay.mark_publisher()
assert relay.relaying()
assert events.publish(os.environ["TOPIC"], events.OPINION_UPDATED, {"from": "worker", "pid": os.getpid()}) is None
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="another process needs the test database on a server")
@pytest.mark.django_db(transaction=True)
async def test_an_event_from_another_process_reaches_this_ones_socket(in_memory_layer, not_a_publisher, call):
    """The embedded default's shape, two processes: a "worker" without
    REDIS_URL publishes; this process's socket receives it."""
    topic = call_topic(call.pk)
    ws, start = await subscribe(topic)
    try:
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "ELASTICSEARCH_URL"}}
        env.update(DJANGO_SETTINGS_MODULE="cms.settings.test", DATABASE_URL=server_database_url(), TOPIC=topic)
        done = await asyncio.to_thread(subprocess.run, [sys.executable, "-c", WORKER_SCRIPT], cwd=ROOT, env=env,
                                       capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        message = await next_event(ws, 5)
        assert message["event"] == events.OPINION_UPDATED and message["data"]["from"] == "worker"
        assert message["data"]["pid"] != os.getpid() and message["seq"] > start
    finally:
        await ws.disconnect()


def test_when_the_pollers_loop_ends_another_loop_serving_sockets_takes_over(in_memory_layer, monkeypatch):
    """One poller per process, and never none while a loop serves sockets:
    a server stopping (in tests, one uvicorn per test) hands over."""
    import threading
    from types import SimpleNamespace

    from live import hub

    monkeypatch.setattr(relay_poller.Poller, "poll_once", lambda self, now=None: 0)
    serving = asyncio.new_event_loop()
    thread = threading.Thread(target=serving.run_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(hub._hubs, serving, SimpleNamespace(channel="hub.test"))  # a hub joined to the layer
    ending = asyncio.new_event_loop()
    try:
        async def start():
            poller = relay_poller.ensure_poller(asyncio.get_running_loop())
            assert relay_poller.ensure_poller(asyncio.get_running_loop()) is poller  # one per process
            await asyncio.sleep(0.05)
            return poller

        first = ending.run_until_complete(start())
        first.task.cancel()
        ending.run_until_complete(asyncio.gather(first.task, return_exceptions=True))
        deadline = time.monotonic() + 5
        while not (relay_poller.current_poller() and relay_poller.current_poller().loop is serving):
            assert time.monotonic() < deadline, "no loop took over"
            time.sleep(0.02)
        assert not relay_poller.current_poller().task.done()
    finally:
        ending.close()
        takeover = relay_poller.current_poller()
        if takeover is not None and takeover.loop is serving:
            serving.call_soon_threadsafe(takeover.task.cancel)
        time.sleep(0.1)
        serving.call_soon_threadsafe(serving.stop)
        thread.join(5)
        serving.close()
