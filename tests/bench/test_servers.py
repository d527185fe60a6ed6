"""bench/servers.py (the ASGI server and page-cache comparison of
docs/asgi-server.md): the page-cache switch reaches the server's settings
and every configuration runs once a round in a rotating order. Its tiny run
(our own server answers from the cache only when it is on) is in
test_bench_smoke.py, beside the bench smoke run, so the two share one
migrated database to start from."""

import subprocess
import sys
from pathlib import Path

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
