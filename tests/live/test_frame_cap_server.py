"""The frame caps on a real uvicorn started as we deploy it (tests/servers.py
carries the same --ws-max-size as the Makefile, Dockerfile and .ci/run):
the server refuses a frame over 64 KiB before the application sees it, and
the consumer answers bad_message above 4 KiB and keeps the socket."""

import asyncio
import json
import re
from pathlib import Path

import pytest
import websockets
from django.db import connection

from live.consumers import MAX_FRAME

from ..servers import server_database_url, uvicorn

ROOT = Path(__file__).resolve().parents[2]
WS_MAX_SIZE = 65536


@pytest.fixture
def server(transactional_db, tmp_path):
    env = {"DATABASE_URL": server_database_url()} if connection.vendor == "postgresql" else {}
    with uvicorn(tmp_path, **env) as base:
        yield base


def test_the_server_refuses_huge_frames_and_the_consumer_large_ones(server):
    url = server.replace("http", "ws") + "/ws/live/"

    async def scenario():
        async with websockets.connect(url, origin=server) as ws:
            await ws.send(json.dumps({"type": "ping", "pad": "x" * (MAX_FRAME + 100)}))
            reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert reply["type"] == "error" and reply["code"] == "bad_message"
            await ws.send(json.dumps({"type": "subscribe", "topic": "call: 1"}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 5))["code"] == "unknown_topic"
            await ws.send(json.dumps({"type": "ping"}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"type": "pong"}

        async with websockets.connect(url, origin=server) as ws:
            await ws.send("x" * (WS_MAX_SIZE + 1))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd.code == 1009  # message too big

        async with websockets.connect(url, origin=server) as ws:  # the server is fine
            await ws.send(json.dumps({"type": "ping"}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"type": "pong"}

    asyncio.run(scenario())


@pytest.mark.parametrize("path", ["Makefile", "Dockerfile", ".ci/run"])
def test_every_uvicorn_we_start_caps_frames(path):
    text = (ROOT / path).read_text()
    # uvicorn itself, or cms/serve.py, which passes the same options to it
    lines = [line for line in text.splitlines()
             if re.search(r"\b(uvicorn|cms\.serve)\b.*--ws-|^UVICORN_ARGS\s*:?=", line)]
    assert lines, f"no uvicorn command line in {path}"
    for line in lines:
        assert f"--ws-max-size {WS_MAX_SIZE}" in line, line
