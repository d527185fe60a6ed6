"""With Redis down, writes still succeed and pages still render; live updates
resume when it is back. Starts its own redis-server on a spare port."""

import shutil
import socket
import subprocess
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from ideas.services import votes
from ideas.models import Idea
from live import events

from ..factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self, port, tmp):
        self.port, self.tmp, self.proc = port, tmp, None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture
def spare_redis(tmp_path, settings):
    settings.RATELIMIT_USE_CACHE = "default"  # the counters in Redis, as in production
    redis = Redis(free_port(), tmp_path)
    redis.start()
    url = f"redis://127.0.0.1:{redis.port}/0"
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [url]}}}
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.cache.ResilientRedisCache", "LOCATION": url, "KEY_PREFIX": "outage",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield redis
    if redis.proc.poll() is None:
        redis.stop()


async def next_event(ws, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not await ws.receive_nothing(timeout=0.2):
            message = await ws.receive_json_from()
            if message.get("type") == "event":
                return message
    return None


@pytest.mark.django_db(transaction=True)
async def test_writes_and_pages_survive_a_redis_outage_and_live_resumes(site, spare_redis):
    from cms.asgi import application

    idea = await sync_to_async(IdeaFactory)()
    voters = [await sync_to_async(UserFactory)() for _ in range(3)]
    vote = sync_to_async(lambda user: votes.cast_vote(user, Idea.objects.get(pk=idea.pk), "support"), thread_sensitive=False)

    ws = WebsocketCommunicator(application, "/ws/live/", headers=[(b"origin", b"http://127.0.0.1:8000")])
    assert (await ws.connect())[0]
    await ws.send_json_to({"type": "subscribe", "topic": f"idea:{idea.pk}"})
    assert (await ws.receive_json_from())["type"] == "subscribed"
    await vote(voters[0])
    before = await next_event(ws, 5)
    assert before and before["data"]["ideas"][0]["support"] == 1

    spare_redis.stop()
    await vote(voters[1])  # the write commits although Redis is down
    assert await sync_to_async(lambda: Idea.objects.get(pk=idea.pk).support_count)() == 2
    response = await sync_to_async(lambda: Client().get(f"/ideas/{idea.pk}/"))()
    assert response.status_code == 200
    call_page = await sync_to_async(lambda: Client().get(idea.call.url))()
    assert call_page.status_code == 200

    # Through the site too: rate-limit counters live in the (absent) cache,
    # and the vote goes through rather than being refused as "too often".
    def vote_on_the_page():
        browser = Client()
        browser.force_login(voters[2])
        return browser.post(f"/ideas/{idea.pk}/vote/", {"value": "support"})

    response = await sync_to_async(vote_on_the_page)()
    assert response.status_code in (200, 302), response.status_code
    assert await sync_to_async(lambda: Idea.objects.get(pk=idea.pk).support_count)() == 3
    await sync_to_async(lambda: votes.remove_vote(voters[2], Idea.objects.get(pk=idea.pk)))()

    spare_redis.start()
    await vote(voters[2])
    resumed = await next_event(ws, 3)
    attempts = 0
    while resumed is None and attempts < 10:
        # The hub reconnects with backoff; publish until it is back.
        await sync_to_async(events.publish)(f"idea:{idea.pk}", "heartbeat", {})
        resumed = await next_event(ws, 2)
        attempts += 1
    assert resumed is not None, "live updates did not resume after Redis came back"
    assert resumed["seq"] > before["seq"]
    await ws.disconnect()
