"""Smoke pass on the embedded default: health, one page, one WebSocket round trip."""

import asyncio
import json
import sys
import time
import urllib.request

import websockets

base = sys.argv[1].rstrip("/")


def get(path):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return response.status, response.read().decode()


for _ in range(60):
    try:
        status, body = get("/health")
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("server did not start")

health = json.loads(body)
assert status == 200 and health == {
    "status": "ok", "database": "sqlite", "channel_layer": "memory", "search": "database", "search_backlog": 0,
}, health
status, body = get("/missions/")
assert status == 200 and "Kickstart economic growth" in body, "missions page lacks the demo"
status, body = get("/missions/clean-energy/")
assert status == 200 and "Challenge calls" in body
status, body = get("/missions/safer-streets/calls/london-youth-policing/")
assert status == 200 and "Data source and licence" in body and "2022-london-youth-policing" in body, \
    "the demo's Pol.is call or its attribution is missing"
status, body = get("/search/?q=mentr")
assert status == 200 and "mc-search-results" in body and "<mark>mentor" in body.lower(), "search finds no demo idea"
status, body = get("/missions/safer-streets/calls/london-youth-policing/results/")
assert status == 200 and "<svg" in body, "the demo's Pol.is call has no opinion map"
print("pages ok")


async def round_trip():
    host = base.split("://", 1)[1]
    async with websockets.connect(f"ws://{host}/ws/live/", origin=base) as ws:
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"type": "pong"}
        await ws.send(json.dumps({"type": "subscribe", "topic": "moderation:1"}))
        reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert reply["type"] == "error" and reply["code"] == "forbidden", reply


asyncio.run(round_trip())
print("websocket ok")
