"""The catch-up log of a topic keeps every event, in sequence order, when
many threads (or many server processes, through Redis) publish to the same
topic at once: a client replaying `since` must not miss one."""

import os
import threading

import pytest
from django.core.cache import cache

from live import events

REDIS_URL = os.environ.get("REDIS_URL", "")
BACKENDS = ["locmem"] + (["redis"] if REDIS_URL else [])


@pytest.fixture(params=BACKENDS)
def event_cache(request, settings, monkeypatch):
    if request.param == "redis":
        settings.CACHES = {**settings.CACHES, "default": {
            "BACKEND": "cms.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"backlog-test-{os.getpid()}",
        }}
    else:
        settings.CACHES = {**settings.CACHES, "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "backlog-test"}}
    monkeypatch.setattr(events, "_group_send", lambda group, payload: None)
    cache.clear()
    yield request.param
    cache.clear()


def test_concurrent_publishers_lose_no_event_from_the_backlog(event_cache):
    topic, threads, each = "idea:77", 16, 12
    start = threading.Barrier(threads)
    sent = []

    def publisher(n):
        start.wait()
        for i in range(each):
            message = events.publish(topic, "comment.created", {"id": n * 100 + i})
            sent.append(message["seq"])

    workers = [threading.Thread(target=publisher, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    replay = events.backlog(topic, 0)
    seqs = [e["seq"] for e in replay]
    assert len(sent) == threads * each == len(set(sent))
    assert seqs == sorted(sent), f"{len(set(sent) - set(seqs))} events missing from the backlog"


def test_backlog_keeps_the_newest_events_and_answers_since(event_cache):
    topic = "call:5"
    seqs = [events.publish(topic, "tally", {"n": n})["seq"] for n in range(events.BACKLOG + 30)]
    replay = events.backlog(topic, 0)
    assert [e["seq"] for e in replay] == seqs[-events.BACKLOG:]
    assert [e["seq"] for e in events.backlog(topic, seqs[-5])] == seqs[-4:]
    assert events.backlog(topic, seqs[-1]) == []
    assert replay[-1]["data"] == {"n": events.BACKLOG + 29}
