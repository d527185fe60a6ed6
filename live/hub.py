"""Per-process fan-out.

A plain Channels consumer joins a layer group per topic, so one event becomes
one layer message per open socket, each serialised on its own. Here each
process holds one layer channel and one group membership per topic; an event
arrives once per process, is serialised once, and is queued for every local
socket subscribed to its topic (each socket's own task does the writing). The layer (in-memory or Redis) only carries
one message per process per event. On the in-memory layer the first hub of
the process also starts the relay poller (live/poller.py), which brings in the
events of the worker and of commands."""

import asyncio
import json
import logging
from collections import defaultdict

from channels.layers import InMemoryChannelLayer, get_channel_layer

from .events import group_name
from .loops import hubs as _hubs
from .poller import ensure_poller
from .topics import parse_topic

logger = logging.getLogger("missioncommons.live")

REJOIN_SECONDS = 3600


class Hub:
    def __init__(self, loop):
        self.loop = loop
        self.local = defaultdict(set)
        self.layer = None
        self.channel = None
        self.reader = None
        self.lock = asyncio.Lock()

    async def _ensure_channel(self):
        if self.channel is None:
            self.layer = get_channel_layer()
            self.channel = await self.layer.new_channel("hub.")
            self.reader = asyncio.ensure_future(self._read())
            self.refresher = asyncio.ensure_future(self._refresh())
            if isinstance(self.layer, InMemoryChannelLayer):
                # The layer reaches this process only: events that the worker
                # and commands publish come through the relay table.
                ensure_poller(self.loop)

    async def add(self, topic, consumer):
        """Register the consumer for a topic; on any failure (a malformed
        topic, the layer refusing the group or being down) nothing is left
        registered: a consumer left in `local` is never discarded and keeps
        its socket's memory alive (issue #12)."""
        parse_topic(topic)  # the consumer checked already; the hub never trusts it
        async with self.lock:
            await self._ensure_channel()
            members = self.local[topic]
            first = not members
            members.add(consumer)
            if first:
                try:
                    await self.layer.group_add(group_name(topic), self.channel)
                except BaseException:
                    members.discard(consumer)
                    if not members:
                        self.local.pop(topic, None)
                    raise

    async def discard(self, topic, consumer):
        async with self.lock:
            members = self.local.get(topic)
            if not members:
                return
            members.discard(consumer)
            if not members:
                del self.local[topic]
                if self.layer is not None:
                    try:
                        await self.layer.group_discard(group_name(topic), self.channel)
                    except Exception:  # layer down: the membership expires on its own
                        logger.warning("group_discard failed for %s", topic, exc_info=True)

    async def _read(self):
        delay = 0.5
        while True:
            try:
                envelope = await self.layer.receive(self.channel)
                delay = 0.5
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis down: keep trying; clients catch up by sequence number.
                logger.warning("live hub receive failed; retrying in %.1fs", delay, exc_info=True)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)
                await self._rejoin()
                continue
            message = envelope.get("message")
            if not message:
                continue
            await self.deliver(message)

    async def _refresh(self):
        """Layers expire group memberships (a day by default): renew ours."""
        while True:
            await asyncio.sleep(REJOIN_SECONDS)
            async with self.lock:
                await self._rejoin()

    async def _rejoin(self):
        for topic in list(self.local):
            try:
                await self.layer.group_add(group_name(topic), self.channel)
            except Exception:
                return

    async def deliver(self, message):
        """One JSON serialisation and one ASGI message per event per process,
        handed to every local subscriber's outbox without awaiting any socket."""
        consumers = self.local.get(message["topic"])
        if not consumers:
            return
        item = (message, {"type": "websocket.send", "text": json.dumps(message, separators=(",", ":"))})
        for consumer in list(consumers):
            try:
                consumer.offer(item)
            except Exception:
                logger.warning("live offer failed", exc_info=True)


def get_hub():
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        # Drop hubs of closed loops (tests start a loop per test).
        for old in [lp for lp in _hubs if lp.is_closed()]:
            del _hubs[old]
        hub = _hubs[loop] = Hub(loop)
    return hub

