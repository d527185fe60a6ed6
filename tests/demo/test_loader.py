"""The demo: its data file describes what the loader can build (authors,
sectors, learning questions that exist), the loader builds exactly that
through the services, and loading again changes nothing."""

from unittest import mock

import pytest
from django.test.utils import override_settings

from cms.site_setup import SECTORS
from consult.models import ChallengeCallPage, MissionPage
from demo.loader import POLIS_DEMO, _import_polis_demo, load_demo, read_missions
from ideas.models import Comment, Idea, Vote
from ideas.visibility import is_public_idea
from live import events

from ..factories import MissionFactory, missions_index

CASE_STUDY = "https://compdemocracy.org/case-studies/2022-london-youth-policing"


def comment_count(comments):
    return sum(1 + comment_count(c.get("replies", [])) for c in comments)


def test_the_data_file_names_only_what_the_loader_knows():
    missions = read_missions()
    assert len(missions) == 5 and len({m["slug"] for m in missions}) == 5
    sectors = {slug for slug, _ in SECTORS}
    for mission in missions:
        call = mission["call"]
        assert set(call.get("sectors", [])) <= sectors, mission["slug"]
        assert call["voting_mode"] in {"support", "agree"}
        for idea in mission["ideas"]:
            assert idea["author"] in (0, 1), idea["title"]
            assert idea.get("sector", "") in sectors | {""}, idea["title"]  # "": none
            assert all(0 <= i < len(mission["learning_questions"]) for i in idea.get("questions", []))
        for metric in mission["metrics"]:
            assert all(isinstance(metric[k], str) for k in ("baseline", "target")), "decimals are strings"


@pytest.mark.django_db
def test_the_demo_loads_what_its_data_file_says_once(tmp_path):
    missions = read_missions()
    # No page is open, so no live tallies are due (tests/browser/site_tour.py says why).
    with override_settings(DEMO_ACCOUNTS_FILE=tmp_path / "accounts.json"), \
            mock.patch.object(events.tallies, "submit"):
        rows = load_demo()
        counts = (MissionPage.objects.count(), ChallengeCallPage.objects.count(), Idea.objects.count(),
                  Comment.objects.count(), Vote.objects.count())
        assert load_demo() == rows  # same accounts and passwords
    assert [r["role"] for r in rows] == ["admin", "mission-team", "moderator", "participant", "participant"]
    assert counts == (MissionPage.objects.count(), ChallengeCallPage.objects.count(), Idea.objects.count(),
                      Comment.objects.count(), Vote.objects.count()), "loading again changed something"
    assert counts[0] == len(missions) and counts[1] == len(missions) + 1  # and the Pol.is call
    for data in missions:
        call = ChallengeCallPage.objects.get(slug=data["call"]["slug"])
        ideas = Idea.objects.filter(call=call)
        assert sorted(ideas.values_list("title", flat=True)) == sorted(i["title"] for i in data["ideas"])
        assert all(is_public_idea(i) for i in ideas), "the moderator approved the held ones"
        assert Comment.objects.filter(idea__call=call).count() == sum(comment_count(i.get("comments", []))
                                                                      for i in data["ideas"])
        assert Vote.objects.filter(idea__call=call).exists()


@pytest.mark.django_db
def test_the_demo_imports_the_shipped_conversation_once(site):
    index = missions_index()
    mission_slug, _ = POLIS_DEMO
    safer = MissionFactory(slug=mission_slug, title="Make Britain's streets safer")
    _import_polis_demo(index)
    _import_polis_demo(index)  # load_demo runs at every `make run`
    call = ChallengeCallPage.objects.child_of(safer).get()
    assert call.slug == "london-youth-policing" and CASE_STUDY in call.data_attribution
    assert Idea.objects.filter(call=call).count() == 39
