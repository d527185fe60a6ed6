"""The scale-out set-up: two server processes sharing PostgreSQL and Redis.
A vote sent to one reaches a page subscribed on the other, sequence numbers
are shared, and a client that reconnects to either catches up from the same
log. Runs when the suite runs on PostgreSQL with REDIS_URL (as CI does)."""

import asyncio
import json
import os
import time
import urllib.request
import uuid

import pytest
import websockets
from django.db import connection

from ideas.services import tokens

from ..factories import IdeaFactory, UserFactory
from ..servers import server_database_url, uvicorn

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
    reason="needs DATABASE_URL on PostgreSQL and REDIS_URL",
)


@pytest.fixture
def two_workers(transactional_db, tmp_path):
    env = dict(DATABASE_URL=server_database_url(), DATABASE_POOL_SIZE="4", REDIS_URL=os.environ["REDIS_URL"],
               TEST_CACHE_PREFIX=f"mc-workers-{uuid.uuid4().hex[:8]}")
    with uvicorn(tmp_path / "a", **env) as a, uvicorn(tmp_path / "b", **env) as b:
        yield a, b


def vote(base, idea, key):
    request = urllib.request.Request(f"{base}/api/v1/ideas/{idea.pk}/vote", data=b'{"value": "support"}',
                                     method="POST", headers={"Authorization": f"Bearer {key}",
                                                             "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


async def subscribe(base, topic, since=None):
    ws = await websockets.connect(base.replace("http", "ws") + "/ws/live/", origin=base)
    await ws.send(json.dumps({"type": "subscribe", "topic": topic, **({"since": since} if since is not None else {})}))
    reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert reply["type"] == "subscribed", reply
    return ws, reply["seq"]


async def next_tally(ws, within):
    deadline = time.monotonic() + within
    while (left := deadline - time.monotonic()) > 0:
        message = json.loads(await asyncio.wait_for(ws.recv(), left))
        if message.get("event") == "tally":
            return message
    raise AssertionError("no tally arrived")


def test_a_vote_on_one_worker_reaches_a_page_on_the_other_and_catch_up_works_on_either(two_workers, call):
    a, b = two_workers
    idea = IdeaFactory(call=call)
    keys = [tokens.create_api_token(UserFactory(), "t")[1] for _ in range(2)]
    topic = f"idea:{idea.pk}"

    async def scenario():
        ws, start = await subscribe(b, topic)
        try:
            sent = time.monotonic()
            assert (await asyncio.to_thread(vote, a, idea, keys[0]))["support_count"] == 1
            first = await next_tally(ws, 5)
            first_after = time.monotonic() - sent
            assert first["data"]["ideas"] == [{"id": idea.pk, "support": 1, "agree": 0, "disagree": 0, "pass": 0}]
            await asyncio.to_thread(vote, b, idea, keys[1])
            second = await next_tally(ws, 5)
            assert second["data"]["ideas"][0]["support"] == 2
            assert start < first["seq"] < second["seq"]  # one sequence per topic, across processes
        finally:
            await ws.close()
        # Reconnect to the other process: the shared log replays both, in order.
        ws, now = await subscribe(a, topic, since=start)
        try:
            replayed = [json.loads(await asyncio.wait_for(ws.recv(), 5)) for _ in range(2)]
        finally:
            await ws.close()
        assert [m["seq"] for m in replayed] == [first["seq"], second["seq"]] and now == second["seq"]
        return first_after

    first_after = asyncio.run(scenario())
    assert first_after < 2, f"the tally took {first_after:.2f} s to cross processes"
