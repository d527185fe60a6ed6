"""manage.py opinion_map CALL_SLUG [--json]: recomputes the map, stores it,
prints exactly {groups, participants, consensus} or a readable summary."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from consult.models import ChallengeCallPage
from opinions.models import OpinionSnapshot

from ..factories import CallFactory
from .conftest import COMMON, SPLIT


def run(*args):
    out = io.StringIO()
    call_command("opinion_map", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_has_exactly_the_issue_shape_and_stores_the_map(planted_call):
    call, ideas = planted_call["call"], planted_call["ideas"]
    out = json.loads(run(call.slug, "--json"))

    assert set(out) == {"groups", "participants", "consensus"}
    assert [set(g) for g in out["groups"]] == [{"id", "size", "representative"}] * 2
    assert sorted(g["size"] for g in out["groups"]) == [8, 8]
    group_ids = {g["id"] for g in out["groups"]}
    assert all(isinstance(r, int) for g in out["groups"] for r in g["representative"])
    # Participants by user id, each in a group; each camp whole.
    assert set(out["participants"]) == {str(u.pk) for u in planted_call["camp_a"] + planted_call["camp_b"]}
    assert set(out["participants"].values()) == group_ids
    assert len({out["participants"][str(u.pk)] for u in planted_call["camp_a"]}) == 1
    # Consensus by idea id; the ideas everyone agreed with on top.
    assert set(out["consensus"]) == {str(i.pk) for i in ideas}
    top = sorted(out["consensus"], key=lambda k: -out["consensus"][k])[:COMMON]
    assert set(top) == {str(i.pk) for i in ideas[2 * SPLIT:]}
    assert OpinionSnapshot.objects.get(call=call).data["consensus"] == out["consensus"]


@pytest.mark.django_db
def test_without_json_a_readable_summary(planted_call):
    call, ideas = planted_call["call"], planted_call["ideas"]
    out = run(call.slug)
    assert f"{16 * len(ideas)} votes from 16 participants" in out
    assert "Group 0: 8 participants" in out and "Group 1: 8 participants" in out
    assert "Agreed across groups" in out and ideas[-1].title in out


@pytest.mark.django_db
def test_an_unknown_slug_is_a_clear_error(site):
    with pytest.raises(CommandError, match="No challenge call with the slug 'nope'"):
        run("nope", "--json")


@pytest.mark.django_db
def test_a_support_call_has_no_map_and_says_why(mission):
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_SUPPORT)
    with pytest.raises(CommandError, match="agree / disagree / pass"):
        run(call.slug, "--json")
