"""The one-way app graph is enforced: `lint-imports` (run by `make test`)
keeps the layers contract, and an upward import breaks it with a message
naming the contract and the import."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["cms", "demo", "opendata", "moderation", "opinions", "participation", "pilots", "prizes", "consultations", "ideas", "consult", "people", "notifications", "live", "search", "inputs"]
CONTRACT = "Apps import only the layers below them"
LINT = str(Path(sys.executable).with_name("lint-imports"))


def _lint(root):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "HOME": str(root)}
    return subprocess.run([LINT, "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


def _copy(tmp_path):
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_the_layers(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{CONTRACT} (docs/architecture.md) KEPT" in result.stdout


def test_an_upward_import_breaks_the_build_naming_the_contract(tmp_path):
    root = _copy(tmp_path)
    phases = root / "consult" / "phases.py"
    phases.write_text(phases.read_text() + "\nfrom ideas import selectors  # an upward import\n")
    result = _lint(root)
    assert result.returncode != 0
    assert f"{CONTRACT} (docs/architecture.md) BROKEN" in result.stdout
    assert "consult.phases -> ideas.selectors" in result.stdout


def test_the_leaves_import_no_other_app(tmp_path):
    root = _copy(tmp_path)
    topics = root / "live" / "topics.py"
    topics.write_text(topics.read_text() + "\nimport search  # one leaf importing another\n")
    result = _lint(root)
    assert result.returncode != 0 and "BROKEN" in result.stdout
