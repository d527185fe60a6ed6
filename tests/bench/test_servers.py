"""bench/servers.py (the ASGI server and page-cache comparison of
docs/asgi-server.md): the page-cache switch reaches the server's settings,
every configuration runs once a round in a rotating order, and a tiny run
of our own server answers from the cache only when it is on."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench import servers, suite

ROOT = Path(__file__).resolve().parents[2]


def server_setting(env, expression):
    """`expression` evaluated in a process started with the server's environment."""
    code = f"import django; django.setup(); from django.conf import settings; from live import fragments; print({expression})"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(("page_cache", "expected"), [(True, "True"), (False, "False")])
def test_page_cache_flag_reaches_the_servers_settings(tmp_path, page_cache, expected):
    env = servers.configuration_env(suite.server_env(tmp_path), "cms.serve", page_cache)
    assert server_setting(env, "settings.PAGE_CACHE_ENABLED, fragments.enabled()") == f"{expected} {expected}"


def test_each_configuration_has_its_own_cache_prefix(tmp_path):
    base = suite.server_env(tmp_path)
    prefixes = {servers.configuration_env(base, name, cache)["BENCH_KEY_PREFIX"]
                for name in servers.SERVERS for cache in (True, False)}
    assert len(prefixes) == 2 * len(servers.SERVERS)


def test_every_configuration_runs_once_a_round_forward_then_back():
    configurations = [(name, cache) for name in servers.SERVERS for cache in (True, False)]
    orders = [servers.order_for_round(configurations, n) for n in range(4)]
    for order in orders:
        assert sorted(order) == sorted(configurations)
    for first, second in (orders[0:2], orders[2:4]):
        assert second == first[::-1]  # the same mean place for each in the pair
    assert orders[2][0] != orders[0][0]


def test_options():
    args = servers.parse(["--out", "x.json", "--servers", "cms.serve,granian", "--page-cache", "off"])
    assert args.servers == ["cms.serve", "granian"] and args.page_cache == [False]
    assert servers.parse(["--out", "x.json"]).page_cache == [True, False]
    for bad in (["--out", "x.json", "--servers", "daphne"], ["--out", "x.json", "--page-cache", "sometimes"], []):
        with pytest.raises(SystemExit):
            servers.parse(bad)


@pytest.fixture
def bench_database_url():
    """None on SQLite; on PostgreSQL a database of this run's own, dropped after."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_servers_{uuid.uuid4().hex[:8]}"[:63]
    bench_url = parts._replace(path=f"/{name}", query="").geturl()
    try:
        yield bench_url
    finally:
        suite.recreate_postgres(bench_url, drop_only=True)


def test_a_tiny_run_answers_from_the_cache_only_when_it_is_on(tmp_path, bench_database_url):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DATA_DIR"}}
    if bench_database_url:
        env["DATABASE_URL"] = bench_database_url
    out, md = tmp_path / "servers.json", tmp_path / "servers.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench.servers", "--servers", "cms.serve", "--rounds", "1", "--seconds", "1",
         "--requests", "20", "--ws", "0", "--ideas", "20", "--voters", "3", "--comments", "3",
         "--out", str(out), "--md", str(md)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
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
