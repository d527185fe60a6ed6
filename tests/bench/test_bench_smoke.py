"""`make bench-smoke` inside `make test`: the whole benchmark suite
(bench/suite.py) at a tiny size, on this run's configuration, so the code
of `make bench` cannot rot. Its own database: a SQLite file in a temporary
folder, or, when DATABASE_URL is set, a PostgreSQL database made for it on
the same server and dropped after; with REDIS_URL its keys carry a prefix of
their own (bench/settings_bench.py) and nothing is flushed. Only the shape of
the output is checked: no figure is compared with a target here."""

import json
import math
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench import suite

ROOT = Path(__file__).resolve().parents[2]
KEYS = [
    "call_page_p95_ms", "call_page_signed_in_p95_ms", "bare_view_p95_ms", "bare_view_rps", "call_page_rps",
    "votes_per_s_hot_idea", "votes_per_s_100_ideas", "ws_fanout_1000_p95_ms", "ws_baseline_1000_p95_ms",
    "search_p95_ms_100k", "import_votes_per_s", "worker_rss_mb",
]


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@pytest.fixture
def bench_database_url():
    """None on SQLite; on PostgreSQL a database of the smoke run's own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_bench_smoke_{uuid.uuid4().hex[:8]}"[:63]
    bench_url = parts._replace(path=f"/{name}", query="").geturl()
    try:
        yield bench_url
    finally:
        suite.recreate_postgres(bench_url, drop_only=True)


def test_smoke_run_writes_every_figure_beside_its_baseline(tmp_path, bench_database_url):
    out = tmp_path / "out"
    out.mkdir()
    # A file the run must merge into, not replace.
    (out / "benchmarks.json").write_text(json.dumps({"search_rebuild_s_100k": 166.8}))
    (out / "benchmarks.md").write_text("# Benchmarks\n\nWritten by hand.\n\n"
                                       f"{suite.START}\nold figures\n{suite.END}\n\n## After\n")
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DATA_DIR"}}
    if bench_database_url:
        env["DATABASE_URL"] = bench_database_url
    done = subprocess.run([sys.executable, "-m", "bench.suite", "--size", "smoke", "--out", str(out)], check=False,
                          cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-6000:]

    figures = json.loads((out / "benchmarks.json").read_text())
    assert figures["search_rebuild_s_100k"] == 166.8  # merged, not replaced
    for key in KEYS:
        item = figures[key]
        assert item["key"] == key
        assert is_number(item["value"]), (key, item)
        assert item["unit"] and item["conditions"], (key, item)
        assert item["baseline"]["key"] and is_number(item["baseline"]["value"]), (key, item)
    meta = figures["make_bench"]
    assert meta["size"] == "smoke" and meta["machine"]["cores"] and meta["versions"]["django"]
    assert meta["database"], meta
    # Each page was measured signed out and signed in, and every request answered 200.
    for page in ["bare", *suite.PAGES]:
        for who in ("out", "in"):
            result = meta["pages"][f"{page}|{who}|10"]
            assert set(result["status"]) == {"200"} and result["requests"] > 0, (page, who, result)

    text = (out / "benchmarks.md").read_text()
    assert text.startswith("# Benchmarks\n\nWritten by hand.") and text.endswith("## After\n")
    assert "old figures" not in text and text.count(suite.START) == 1 and text.count(suite.END) == 1
    section = text[text.index(suite.START):text.index(suite.END)]
    for key in KEYS:
        assert f"`{key}`" in section
    for label in ("Commit:", "Machine:", "Versions:", "Sizes (smoke):", "--workers 2"):
        assert label in section


def test_smoke_never_writes_docs():
    with pytest.raises(SystemExit):
        suite.main(["--size", "smoke", "--out", str(ROOT / "docs")])
