"""What keeps CI inside its time (DEVELOPERS.md, "Running the tests"): `make
test` runs the suite in parallel with pytest-xdist and can still be run
serially; `.ci/run` prints each stage's time and a table of them; and the
parallel workers stay apart on the shared Redis."""

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from channels.layers import get_channel_layer
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def pytest_command(**variables):
    """The pytest command `make test` would run (`make -n` prints, runs nothing)."""
    done = subprocess.run(["make", "-n", "test", *(f"{k}={v}" for k, v in variables.items())],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    lines = [line for line in done.stdout.splitlines() if " -m pytest" in line]
    assert len(lines) == 1, done.stdout
    return shlex.split(lines[0])


def test_make_test_runs_the_suite_in_parallel_whole_files_per_worker():
    argv = pytest_command()
    assert argv[argv.index("-n") + 1] == "2"
    assert argv[argv.index("--dist") + 1] == "loadfile"
    assert "-n" in pytest_command(PYTEST_WORKERS="3") and "3" in pytest_command(PYTEST_WORKERS="3")


def test_pytest_args_come_last_so_n0_runs_serially():
    argv = pytest_command(PYTEST_ARGS="-n0 tests/inputs")
    assert argv[-2:] == ["-n0", "tests/inputs"]
    assert argv.index("-n0") > argv.index("-n")  # the last -n wins


def test_xdist_is_a_pinned_test_dependency():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"pytest-xdist>=' in text


STAGES = """
set -euo pipefail
source .ci/stages.sh
cleanup() { echo "cleaned up"; }
trap 'stage_table; cleanup' EXIT
stage "first stage"
true
stage "second stage"
exit 3
"""


def test_ci_stages_print_their_times_and_a_table_naming_the_failed_one():
    done = subprocess.run(["bash", "-c", STAGES], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 3  # the failure's status survives the table
    out = done.stdout
    # Seconds, not a figure: a loaded machine may cross a second boundary.
    assert re.search(r"stage took \d+s: first stage", out)
    table = out[out.index("== stage times"):].splitlines()
    assert re.fullmatch(r"\s+first stage\s+\d+s\s+0m\d\ds", table[1])
    assert re.fullmatch(r"\s+second stage\s+\d+s\s+0m\d\ds  FAILED", table[2])
    assert re.fullmatch(r"\s+total\s+\d+s\s+0m\d\ds", table[3]) and table[4] == "cleaned up"


def test_ci_run_times_every_stage():
    text = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in text and "source .ci/stages.sh" in text
    assert "trap 'stage_table; cleanup' EXIT" in text
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    runs = [i for i, line in enumerate(lines) if not line.startswith(("stage ", "log "))
            and any(step in line for step in ("make test", "scripts/topology.sh smoke", "manage.py migrate"))]
    assert len(runs) == 4, runs  # two suites, the topology smoke, the smoke pass
    for before, at in zip([-1, *runs], runs):
        assert any(line.startswith("stage ") for line in lines[before + 1:at]), f"no stage starts before {lines[at]}"
    starts = [line for line in lines if line.startswith("stage ")]
    assert len(starts) >= 5 and len(set(starts)) == len(starts)  # each stage named once
    assert subprocess.run(["bash", "-n", ".ci/run"], cwd=ROOT).returncode == 0


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_each_test_process_has_its_own_prefix_on_redis_for_cache_and_channel_groups():
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert prefix == (os.environ.get("TEST_CACHE_PREFIX") or f"mc-test-{os.getpid()}")
    layer = get_channel_layer()
    assert layer.prefix == prefix
    assert layer._get_group_channel_name("call:1").startswith(prefix)  # the name on Redis
