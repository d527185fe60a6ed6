"""The server process tunes the interpreter at the ASGI lifespan start-up;
the shipped server commands turn permessage-deflate off."""

import asyncio
import gc
import re
import sys
from pathlib import Path

from cms import runtime
from cms.asgi import application

ROOT = Path(__file__).resolve().parents[2]


def test_lifespan_startup_tunes_gc_and_switch_interval():
    thresholds, interval = gc.get_threshold(), sys.getswitchinterval()
    sent = []
    inbox = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]

    async def receive():
        return inbox.pop(0)

    async def send(message):
        sent.append(message["type"])

    try:
        asyncio.run(application({"type": "lifespan"}, receive, send))
        assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
        assert gc.get_threshold() == runtime.GC_THRESHOLDS
        assert sys.getswitchinterval() == runtime.SWITCH_INTERVAL
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        sys.setswitchinterval(interval)


def test_importing_the_app_leaves_the_interpreter_alone(tmp_path):
    """Tests and commands import cms.asgi; only a server's lifespan tunes."""
    import os
    import subprocess

    code = "import gc, sys, cms.asgi; print(sys.getswitchinterval(), gc.get_threshold(), gc.get_freeze_count())"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cms.settings.dev", DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0.005", "(700,", "10,", "10)", "0"]


def test_shipped_server_commands_turn_permessage_deflate_off():
    makefile = (ROOT / "Makefile").read_text()
    args = re.search(r"^UVICORN_ARGS := (.+)$", makefile, re.M).group(1)
    assert "--ws-per-message-deflate false" in args
    for target in ("serve", "run"):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
        assert "uvicorn" in recipe and "$(UVICORN_ARGS)" in recipe, target
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = [line for line in dockerfile.splitlines() if line.startswith("CMD")][-1]
    assert "python -m cms.serve" in cmd and "--ws-per-message-deflate false" in cmd  # uvicorn's workers
    assert "--ws-per-message-deflate false" in (ROOT / ".ci" / "run").read_text()
