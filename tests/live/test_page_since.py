"""A page names the sequence number of its topic as rendered; a vote cast
between the render and the socket's subscribe still reaches the page."""

import re

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from cms.asgi import application
from ideas.services import votes
from live import events

from ..factories import IdeaFactory, UserFactory


@pytest.mark.django_db(transaction=True)
async def test_an_event_between_render_and_subscribe_is_replayed(site):
    idea = await sync_to_async(IdeaFactory)()
    voter = await sync_to_async(UserFactory)()
    html = (await sync_to_async(lambda: Client().get(f"/ideas/{idea.pk}/"))()).content.decode()
    topic = f"idea:{idea.pk}"
    assert f'data-live-topics="{topic}"' in html
    since = int(re.search(rf'data-live-since="{topic}=(\d+)"', html).group(1))

    await sync_to_async(votes.cast_vote)(voter, idea, "support")  # before the page's socket opens
    await sync_to_async(events.tallies.drain)()

    ws = WebsocketCommunicator(application, "/ws/live/", headers=[(b"origin", b"http://127.0.0.1:8000")])
    assert (await ws.connect())[0]
    await ws.send_json_to({"type": "subscribe", "topic": topic, "since": since})
    subscribed = await ws.receive_json_from()
    assert subscribed["type"] == "subscribed" and subscribed["seq"] > since
    replayed = await ws.receive_json_from(timeout=3)
    assert replayed["event"] == "tally" and replayed["data"]["ideas"][0]["support"] == 1
    assert since < replayed["seq"] <= subscribed["seq"]
    await ws.disconnect()


@pytest.mark.django_db
def test_call_and_moderation_pages_name_their_topics(call, moderator, client):
    html = client.get(call.url).content.decode()
    assert re.search(rf'data-live-topics="call:{call.pk}" data-live-since="call:{call.pk}=\d+"', html)
    client.force_login(moderator)
    mission = call.get_parent()
    html = client.get(f"/moderation/{mission.slug}/").content.decode()
    assert re.search(rf'data-live-topics="moderation:{mission.pk}" data-live-since="moderation:{mission.pk}=\d+"', html)
