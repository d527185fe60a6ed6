"""Coalesced tallies: a burst of votes becomes at most one message per topic
(so at most one per idea) per 250 ms, and the last message carries the
database's counts."""

import math
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from cms.asgi import application
from ideas.services import votes
from ideas.models import Idea
from live import events

from ..factories import IdeaFactory, UserFactory


def test_coalescer_sends_leading_and_trailing_edges(monkeypatch):
    sent = []
    monkeypatch.setattr(events, "read_tallies", lambda topic, ids: [{"id": i, "support": len(sent)} for i in ids])
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


def test_votes_on_several_ideas_of_a_call_share_one_message_per_window(monkeypatch):
    """Six ideas voted on at once: the call's subscribers get one frame per
    window holding all six tallies, not six frames."""
    sent = []
    monkeypatch.setattr(events, "read_tallies", lambda topic, ids: [{"id": i} for i in sorted(ids)])
    monkeypatch.setattr(events, "publish", lambda topic, event, data: sent.append((time.monotonic(), topic, data)))
    coalescer = events.TallyCoalescer(window=0.25)
    start = time.monotonic()
    while time.monotonic() - start < 1.0:
        for idea_id in range(1, 7):
            coalescer.submit(idea_id, [f"idea:{idea_id}", "call:3"])
        time.sleep(0.01)
    assert coalescer.drain()
    time.sleep(0.3)
    call_messages = [data for _, topic, data in sent if topic == "call:3"]
    assert 4 <= len(call_messages) <= math.ceil(1.0 / 0.25) + 2
    assert call_messages[-1] == {"ideas": [{"id": i} for i in range(1, 7)]}
    for idea_id in range(1, 7):
        mine = [data for _, topic, data in sent if topic == f"idea:{idea_id}"]
        assert mine and all(data == {"ideas": [{"id": idea_id}]} for data in mine)
    call_times = [at for at, topic, _ in sent if topic == "call:3"]
    assert min(b - a for a, b in zip(call_times, call_times[1:])) >= 0.24


@pytest.mark.django_db
def test_a_call_topic_never_carries_the_tally_of_a_hidden_idea(call):
    from ideas.models import Visibility

    shown = IdeaFactory(call=call)
    hidden = IdeaFactory(call=call, visibility=Visibility.HIDDEN)
    assert [row["id"] for row in events.read_tallies(f"call:{call.pk}", {shown.pk, hidden.pk})] == [shown.pk]
    assert [row["id"] for row in events.read_tallies(f"idea:{hidden.pk}", {hidden.pk})] == [hidden.pk]


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
            votes.cast_vote(voter, Idea.objects.get(pk=idea.pk), "support")

    started = time.monotonic()
    await sync_to_async(burst, thread_sensitive=False)()
    elapsed = time.monotonic() - started
    received = []
    while not await ws.receive_nothing(timeout=0.8):  # until 0.8 s of quiet
        received.append(await ws.receive_json_from())
    tallies = [m for m in received if m.get("event") == "tally"]
    final = await sync_to_async(lambda: Idea.objects.get(pk=idea.pk).support_count)()
    assert final == 40
    assert tallies[-1]["data"]["ideas"] == [{"id": idea.pk, "support": final, "agree": 0, "disagree": 0, "pass": 0}]
    assert len(tallies) <= math.ceil(elapsed / 0.25) + 2 < 40
    assert [m["seq"] for m in tallies] == sorted(m["seq"] for m in tallies)
    await ws.disconnect()
