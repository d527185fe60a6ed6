"""Every topic and every visibility rule, through the real ASGI stack."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from cms.asgi import application
from consult.models import MissionMembership
from ideas.services import comments, submissions
from moderation import services as moderation
from ideas.models import Visibility

from ..factories import CallFactory, IdeaFactory, MembershipFactory, MissionFactory, UserFactory

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def socket_for(user=None):
    headers = [ORIGIN]
    if user is not None:
        client = Client()
        await sync_to_async(client.force_login)(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    ws = WebsocketCommunicator(application, "/ws/live/", headers=headers)
    assert (await ws.connect())[0]
    return ws


async def subscribe(ws, topic):
    await ws.send_json_to({"type": "subscribe", "topic": topic})
    return await ws.receive_json_from()


@pytest.fixture
def world(site):
    mission = MissionFactory()
    call = CallFactory(parent=mission)
    moderator = MembershipFactory(mission=mission, role=MissionMembership.ROLE_MODERATOR).user
    other_moderator = MembershipFactory(mission=MissionFactory(), role=MissionMembership.ROLE_MODERATOR).user
    author = UserFactory()
    return {
        "mission": mission, "call": call, "moderator": moderator, "other_moderator": other_moderator,
        "author": author, "participant": UserFactory(),
        "public": IdeaFactory(call=call), "pending": IdeaFactory(call=call, author=author, visibility=Visibility.PENDING),
        "hidden": IdeaFactory(call=call, visibility=Visibility.HIDDEN),
    }


CASES = [
    # (who, topic key, expected reply type or error code)
    (None, "call", "subscribed"),
    (None, "public", "subscribed"),
    (None, "pending", "not_found"),
    (None, "hidden", "not_found"),
    ("participant", "pending", "not_found"),
    ("author", "pending", "subscribed"),
    ("moderator", "pending", "subscribed"),
    ("moderator", "hidden", "subscribed"),
    (None, "moderation", "not_authenticated"),
    ("participant", "moderation", "forbidden"),
    ("other_moderator", "moderation", "forbidden"),
    ("moderator", "moderation", "subscribed"),
    (None, "own_user", "not_authenticated"),
    ("participant", "other_user", "forbidden"),
    ("participant", "own_user", "subscribed"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who, key, expected", CASES)
async def test_topic_visibility(world, who, key, expected):
    user = world[who] if who else None
    topic = {
        "call": f"call:{world['call'].pk}",
        "moderation": f"moderation:{world['mission'].pk}",
        "own_user": f"user:{user.pk if user else 0}",
        "other_user": f"user:{world['author'].pk}",
    }.get(key) or f"idea:{world[key].pk}"
    ws = await socket_for(user)
    reply = await subscribe(ws, topic)
    assert reply.get("code", reply["type"]) == expected, reply
    await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_unpublished_call_is_not_found(site):
    call = await sync_to_async(CallFactory)()
    await sync_to_async(call.unpublish)()
    ws = await socket_for()
    assert (await subscribe(ws, f"call:{call.pk}"))["code"] == "not_found"
    await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_hiding_an_idea_sends_its_removal_and_ends_the_subscription(world):
    idea = world["public"]
    ws = await socket_for(world["participant"])
    assert (await subscribe(ws, f"idea:{idea.pk}"))["type"] == "subscribed"
    call_ws = await socket_for()
    assert (await subscribe(call_ws, f"call:{world['call'].pk}"))["type"] == "subscribed"
    await sync_to_async(moderation.hide_idea)(world["moderator"], idea, "off-topic")
    removed = await ws.receive_json_from(timeout=3)
    assert removed["event"] == "idea.removed" and removed["data"] == {"id": idea.pk, "reason": "off-topic"}
    gone = await ws.receive_json_from(timeout=3)
    assert gone["type"] == "error" and gone["code"] == "not_found"
    assert (await call_ws.receive_json_from(timeout=3))["event"] == "idea.removed"
    # Later events about the idea no longer reach the participant.
    await sync_to_async(moderation.restore_idea)(world["moderator"], idea)
    assert await ws.receive_nothing(timeout=0.5)
    assert (await call_ws.receive_json_from(timeout=3))["event"] == "idea.created"
    await ws.disconnect()
    await call_ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_pending_submission_reaches_the_moderation_queue_only(world):
    from consult.models import ChallengeCallPage

    call = world["call"]
    await sync_to_async(ChallengeCallPage.objects.filter(pk=call.pk).update)(moderation_mode="pre")
    call = await sync_to_async(ChallengeCallPage.objects.get)(pk=call.pk)
    queue = await socket_for(world["moderator"])
    assert (await subscribe(queue, f"moderation:{world['mission'].pk}"))["type"] == "subscribed"
    public = await socket_for()
    assert (await subscribe(public, f"call:{call.pk}"))["type"] == "subscribed"
    idea = await sync_to_async(submissions.submit_idea)(world["participant"], call, title="Pending", summary="s", body="b")
    added = await queue.receive_json_from(timeout=3)
    assert added["event"] == "queue.added" and added["data"] == {"kind": "idea", "id": idea.pk}
    assert await public.receive_nothing(timeout=0.5)
    await queue.disconnect()
    await public.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_bad_messages_get_an_error_not_a_disconnect(site):
    ws = await socket_for()
    await ws.send_to(text_data="not json")
    assert (await ws.receive_json_from())["code"] == "bad_message"
    await ws.send_json_to({"type": "dance"})
    assert (await ws.receive_json_from())["code"] == "bad_message"
    await ws.send_json_to({"type": "subscribe", "topic": 42})
    assert (await ws.receive_json_from())["code"] == "unknown_topic"
    await ws.send_json_to({"type": "ping"})
    assert (await ws.receive_json_from())["type"] == "pong"
    await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_personal_notifications_reach_their_owner(world):
    author = world["author"]
    idea = await sync_to_async(submissions.submit_idea)(author, world["call"], title="Mine", summary="s", body="b")
    ws = await socket_for(author)
    assert (await subscribe(ws, f"user:{author.pk}"))["type"] == "subscribed"
    await sync_to_async(comments.add_comment)(world["participant"], idea, "A reply for you")
    note = await ws.receive_json_from(timeout=3)
    assert note["event"] == "notification" and note["data"]["unread"] == 1 and note["data"]["kind"] == "reply"
    assert "New comment" in note["data"]["title"] and idea.title in note["data"]["title"]
    await ws.disconnect()
