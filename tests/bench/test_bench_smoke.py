"""`make bench-smoke` inside `make test`: the whole benchmark suite
(bench/suite.py) at a tiny size, on this run's configuration, so the code
of `make bench` cannot rot; and a tiny run of bench/servers.py (the server
and page-cache comparison of docs/asgi-server.md), whose page cache answers
from the cache only when it is on. Each run has its own database: a SQLite
file in a temporary folder, or, when DATABASE_URL is set, a PostgreSQL
database made for it on the same server and dropped after; with REDIS_URL
its keys carry a prefix of their own (bench/settings_bench.py) and nothing
is flushed. Migrating from nothing is most of such a run, so the module
migrates once (`python -m bench.suite --prepare`, the same migrate and
collectstatic a run from nothing does) and both runs start from a copy of
it (`--from`). Only the shape of the output is checked: no figure is
compared with a target here."""

import json
import math
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench import servers, suite

ROOT = Path(__file__).resolve().parents[2]
KEYS = [
    "call_page_p95_ms", "call_page_signed_in_p95_ms", "bare_view_p95_ms", "bare_view_rps", "call_page_rps",
    "votes_per_s_hot_idea", "votes_per_s_100_ideas", "ws_fanout_1000_p95_ms", "ws_baseline_1000_p95_ms",
    "search_p95_ms_100k", "import_votes_per_s", "worker_rss_mb",
]


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def own_database_url(label):
    """None on SQLite; on PostgreSQL the address of a database of its own on
    the server of DATABASE_URL (made by the run, dropped by the caller)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{label}_{uuid.uuid4().hex[:8]}"[:63]
    return parts._replace(path=f"/{name}", query="").geturl()


def bench_env(database_url):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DATA_DIR"}}
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated start made once for the module: `--prepare` into a folder
    (and, on PostgreSQL, a template database, dropped after)."""
    folder = tmp_path_factory.mktemp("bench-template")
    url = own_database_url("bench_template")
    try:
        done = subprocess.run([sys.executable, "-m", "bench.suite", "--prepare", str(folder)], cwd=ROOT,
                              env=bench_env(url), capture_output=True, text=True, timeout=900, check=False)
        assert done.returncode == 0, done.stderr[-6000:]
        yield folder
    finally:
        if url:
            suite.recreate_postgres(url, drop_only=True)


@pytest.fixture
def bench_database_url():
    """None on SQLite; on PostgreSQL a database of this run's own, dropped after."""
    url = own_database_url("bench_smoke")
    try:
        yield url
    finally:
        if url:
            suite.recreate_postgres(url, drop_only=True)


def test_smoke_run_writes_every_figure_beside_its_baseline(tmp_path, migrated, bench_database_url):
    out = tmp_path / "out"
    out.mkdir()
    # A file the run must merge into, not replace.
    (out / "benchmarks.json").write_text(json.dumps({"search_rebuild_s_100k": 166.8}))
    (out / "benchmarks.md").write_text("# Benchmarks\n\nWritten by hand.\n\n"
                                       f"{suite.START}\nold figures\n{suite.END}\n\n## After\n")
    done = subprocess.run([sys.executable, "-m", "bench.suite", "--size", "smoke", "--out", str(out),
                           "--from", str(migrated)],
                          check=False, cwd=ROOT, env=bench_env(bench_database_url), capture_output=True, text=True,
                          timeout=900)
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
            for connections in suite.SIZES["smoke"]["connections"]:
                result = meta["pages"][f"{page}|{who}|{connections}"]
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


def test_a_tiny_run_answers_from_the_cache_only_when_it_is_on(tmp_path, migrated, bench_database_url):
    out, md = tmp_path / "servers.json", tmp_path / "servers.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench.servers", "--servers", "cms.serve", "--rounds", "1", "--seconds", "1",
         "--requests", "20", "--ws", "0", "--ideas", "20", "--voters", "3", "--comments", "3",
         "--out", str(out), "--md", str(md), "--from", str(migrated)],
        cwd=ROOT, env=bench_env(bench_database_url), capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-6000:]

    results = {r["page_cache"]: r for r in json.loads(out.read_text())["results"]}
    assert set(results) == {True, False}
    for cache, result in results.items():
        assert len(result["worker_rss_mb"]) == servers.WORKERS and len(result["worker_cpu_s"]) == servers.WORKERS
        for endpoint in servers.ENDPOINTS:
            assert result["http"][endpoint]["status"] == {"200": result["http"][endpoint]["requests"]}
        pages = "hit" if cache else "bypass"
        assert result["http"]["call"]["page_cache"] == pages and result["http"]["idea"]["page_cache"] == pages
        assert result["http"]["api"]["page_cache"] == "bypass"  # JSON is never cached
    text = md.read_text()
    assert "| cms.serve | on | call | hit |" in text and "| cms.serve | off | call | bypass |" in text
    assert servers.report(out) == text  # --report renders a saved run the same way
