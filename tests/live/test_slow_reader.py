"""A client that stops reading must not stall delivery to anyone else."""

import asyncio


from live import consumers
from live.hub import Hub


class Probe(consumers.LiveConsumer):
    def __init__(self, stuck):
        self.stuck = stuck
        self.sent = []
        self.closed = None
        self.topics = {"call:1": 0.0}
        self.outbox = asyncio.Queue(maxsize=consumers.OUTBOX)
        self.sender = asyncio.ensure_future(self._drain())

    async def send(self, text_data=None, bytes_data=None, close=False):
        if self.stuck:
            await asyncio.Event().wait()  # never returns, like a full socket buffer
        self.sent.append(text_data)

    async def close(self, code=None, reason=None):
        self.closed = code

    async def unsubscribe(self, topic):
        self.topics.pop(topic, None)


async def test_a_stuck_socket_does_not_block_the_others_and_is_dropped_when_far_behind():
    hub = Hub(asyncio.get_running_loop())
    stuck, healthy = Probe(stuck=True), Probe(stuck=False)
    hub.local["call:1"] = {stuck, healthy}
    for seq in range(consumers.OUTBOX + 5):
        await asyncio.wait_for(hub.deliver({"topic": "call:1", "seq": seq, "event": "tally", "data": {}}), 1)
    await asyncio.sleep(0.05)
    assert len(healthy.sent) == consumers.OUTBOX + 5
    assert stuck.closed == 4008 and stuck.topics == {}
    for probe in (stuck, healthy):
        probe.sender.cancel()
