"""Live events: numbered per topic, sent after commit, never fatal.

A write must succeed even when the channel layer (Redis) is down, so publish
errors are logged and swallowed; clients catch up by sequence number."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger("missioncommons.live")

BACKLOG = 200  # events kept per topic for catch-up after a reconnect


def group_name(topic):
    return "t." + topic.replace(":", ".")


def _seq_key(topic):
    return f"live:seq:{topic}"


def _log_key(topic):
    return f"live:log:{topic}"


def next_seq(topic):
    key = _seq_key(topic)
    try:
        return cache.incr(key)
    except ValueError:
        cache.add(key, 0, timeout=None)
        return cache.incr(key)


def current_seq(topic):
    try:
        return int(cache.get(_seq_key(topic)) or 0)
    except Exception:
        return 0


def backlog(topic, since):
    try:
        events = cache.get(_log_key(topic)) or []
    except Exception:
        return []
    return [e for e in events if e["seq"] > since]


def publish(topic, event, data):
    try:
        seq = next_seq(topic)
        message = {"type": "event", "topic": topic, "seq": seq, "event": event, "data": data}
        log = (cache.get(_log_key(topic)) or [])[-(BACKLOG - 1) :]
        log.append(message)
        cache.set(_log_key(topic), log, timeout=24 * 3600)
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group_name(topic), {"type": "live.event", "message": message})
        return message
    except Exception:  # Redis down or similar: the write stands, live catches up later
        logger.warning("live publish failed for %s %s", topic, event, exc_info=True)
        return None


def publish_on_commit(topic, event, data):
    transaction.on_commit(lambda: publish(topic, event, data))
