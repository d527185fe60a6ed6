"""Coalesced tallies: a burst of votes becomes at most one message per idea
per 250 ms, and the last message carries the database's count."""

import math
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from cms.asgi import application
from ideas import services
from ideas.models import Idea
from live import events

from ..factories import IdeaFactory, UserFactory


def test_coalescer_sends_leading_and_trailing_edges(monkeypatch):
    sent = []
    monkeypatch.setattr(events, "read_tally", lambda idea_id: {"id": idea_id, "support": len(sent)})
    monkeypatch.setattr(events, "publish", lambda topic, event, data: sent.append((time.monotonic(), topic, data)))
    coalescer = events.TallyCoalescer(window=0.25)
    start = time.monotonic()
    while time.monotonic() - start < 1.0:  # a vote every 5 ms for a second: ~200 votes
        coalescer.submit(7, ["idea:7"])
        time.sleep(0.005)
    assert coalescer.drain()
    time.sleep(0.3)
    assert 4 <= len(sent) <= math.ceil(1.0 / 0.25) + 2
    gaps = [b[0] - a[0] for a, b in zip(sent, sent[1:])]
    assert min(gaps) >= 0.24
    assert sent[0][0] - start < 0.05  # the first vote is not delayed


@pytest.mark.django_db(transaction=True)
async def test_a_burst_of_votes_reaches_subscribers_coalesced_with_the_exact_final_count(site):
    idea = await sync_to_async(IdeaFactory)()
    voters = [await sync_to_async(UserFactory)() for _ in range(40)]
    ws = WebsocketCommunicator(application, "/ws/live/", headers=[(b"origin", b"http://127.0.0.1:8000")])
    assert (await ws.connect())[0]
    await ws.send_json_to({"type": "subscribe", "topic": f"idea:{idea.pk}"})
    assert (await ws.receive_json_from())["type"] == "subscribed"

    def burst():
        for voter in voters:
            services.cast_vote(voter, Idea.objects.get(pk=idea.pk), "support")

    started = time.monotonic()
    await sync_to_async(burst, thread_sensitive=False)()
    elapsed = time.monotonic() - started
    received = []
    while not await ws.receive_nothing(timeout=0.8):  # until 0.8 s of quiet
        received.append(await ws.receive_json_from())
    tallies = [m for m in received if m.get("event") == "tally"]
    final = await sync_to_async(lambda: Idea.objects.get(pk=idea.pk).support_count)()
    assert final == 40
    assert tallies[-1]["data"]["support"] == final
    assert len(tallies) <= math.ceil(elapsed / 0.25) + 2 < 40
    assert [m["seq"] for m in tallies] == sorted(m["seq"] for m in tallies)
    await ws.disconnect()
