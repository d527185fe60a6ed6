"""/ws/live/ through the real ASGI stack (origin check, session auth)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from cms.asgi import application
from ideas.services import votes
from ideas.models import Visibility

from ..factories import IdeaFactory

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def connect(headers=(ORIGIN,)):
    communicator = WebsocketCommunicator(application, "/ws/live/", headers=list(headers))
    connected, _ = await communicator.connect()
    return communicator, connected


@pytest.mark.django_db(transaction=True)
async def test_ping_and_unknown_topic():
    ws, connected = await connect()
    assert connected
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.send_json_to({"type": "subscribe", "topic": "nonsense:1"})
    reply = await ws.receive_json_from()
    assert reply["type"] == "error" and reply["code"] == "unknown_topic"
    await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_foreign_origin_is_refused():
    ws, connected = await connect(headers=[(b"origin", b"http://evil.example")])
    assert not connected


@pytest.mark.django_db(transaction=True)
async def test_moderation_topic_is_refused_to_anonymous(site):
    from ..factories import MissionFactory

    mission = await sync_to_async(MissionFactory)()
    ws, _ = await connect()
    await ws.send_json_to({"type": "subscribe", "topic": f"moderation:{mission.pk}"})
    reply = await ws.receive_json_from()
    assert reply["code"] == "not_authenticated"
    await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_pending_idea_topic_is_not_found_for_others(site):
    idea = await sync_to_async(IdeaFactory)(visibility=Visibility.PENDING)
    ws, _ = await connect()
    await ws.send_json_to({"type": "subscribe", "topic": f"idea:{idea.pk}"})
    assert (await ws.receive_json_from())["code"] == "not_found"
    await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_vote_after_commit_reaches_the_subscriber_with_a_sequence_number(site):
    from ..factories import UserFactory

    idea = await sync_to_async(IdeaFactory)()
    voter = await sync_to_async(UserFactory)()
    ws, _ = await connect()
    await ws.send_json_to({"type": "subscribe", "topic": f"idea:{idea.pk}"})
    subscribed = await ws.receive_json_from()
    assert subscribed["type"] == "subscribed"
    await sync_to_async(votes.cast_vote)(voter, idea, "support")
    event = await ws.receive_json_from(timeout=3)
    assert event["event"] == "tally" and event["data"]["ideas"] == [
        {"id": idea.pk, "support": 1, "agree": 0, "disagree": 0, "pass": 0}
    ]
    assert event["seq"] > subscribed["seq"]
    # A second client that reconnects asks for what it missed.
    late, _ = await connect()
    await late.send_json_to({"type": "subscribe", "topic": f"idea:{idea.pk}", "since": subscribed["seq"]})
    assert (await late.receive_json_from())["type"] == "subscribed"
    missed = await late.receive_json_from()
    assert missed["seq"] == event["seq"] and missed["data"]["ideas"][0]["support"] == 1
    await ws.disconnect()
    await late.disconnect()
