"""search/ is a leaf: it imports no other app of ours (issue #13)."""

import re
from pathlib import Path

SEARCH = Path(__file__).resolve().parents[2] / "search"
OURS = re.compile(r"^\s*(from|import) (cms|consult|ideas|moderation|live|demo|opendata)\b", re.M)


def test_search_imports_no_other_project_app():
    offenders = [f"{path.relative_to(SEARCH.parent)}: {m.group(0).strip()}"
                 for path in SEARCH.rglob("*.py") for m in OURS.finditer(path.read_text())]
    assert offenders == []
