"""Issue #15, item 8, end to end: real Pol.is conversations imported with
`import_polis`, their maps computed by `opinion_map --json`, and our groups
compared with the groups Pol.is itself computed (participants-votes.csv,
`group-id`) by the adjusted Rand index. The floors are those of
docs/opinion-map.md (measured there: Brexit 0.881, London 0.178 at seed 0);
the pure core's own test (test_groups.py) checks the same figures from the
CSV; this one checks that the site's path (import, visibility, participant
keys, the stored map, the command) loses nothing on the way."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from opinions.groups import adjusted_rand_index

POLIS_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "polis"


def polis_groups(folder):
    """{Pol.is participant id: group-id} for the participants Pol.is clustered."""
    with open(folder / "participants-votes.csv", newline="", encoding="utf-8") as handle:
        return {int(r["participant"]): int(r["group-id"]) for r in csv.DictReader(handle) if r["group-id"]}


@pytest.mark.skipif(not POLIS_DATA.is_dir(), reason=f"the shared Pol.is data is not at {POLIS_DATA}")
@pytest.mark.django_db
@pytest.mark.parametrize(("folder", "slug", "floor"), [
    ("brexit-consensus", "brexit-consensus", 0.8),
    ("london.youth.policing", "london-youth-policing", 0.1),
])
def test_our_groups_agree_with_polis_above_the_floor(mission, folder, slug, floor):
    call_command("import_polis", str(POLIS_DATA / folder), "--mission", mission.slug, stdout=io.StringIO())
    out = io.StringIO()
    call_command("opinion_map", slug, "--json", stdout=out)
    result = json.loads(out.getvalue())

    theirs = polis_groups(POLIS_DATA / folder)
    ours = {int(key): group for key, group in result["participants"].items()}  # Pol.is ids, kept on import
    assert len(set(ours) & set(theirs)) >= 0.9 * len(theirs)
    keys = sorted(set(ours) & set(theirs))
    ari = adjusted_rand_index([theirs[k] for k in keys], [ours[k] for k in keys])
    assert ari >= floor, f"{folder}: adjusted Rand index {ari:.3f} below the floor {floor}"
