"""The demo: its data file describes what the loader can build (authors,
sectors, learning questions that exist), the loader builds exactly that
through the services, and loading again changes nothing."""

from unittest import mock

import pytest
from django.test.utils import override_settings

from cms.site_setup import SECTORS
from consult.models import ChallengeCallPage, MissionMembership, MissionPage
from consultations import questions as asking, tallies
from consultations.campaigns import CAMPAIGN_MIN_RESPONDENTS
from consultations.models import Campaign, ConsultationPage, Response, ResponseAnswer
from prizes.models import Application, Attachment, Conflict, PanelMember, PrizeCallPage, StageResult
from demo.loader import POLIS_ABOUT_PARTICIPANT, POLIS_DEMO, _import_polis_demo, load_demo, read_missions
from ideas.models import Comment, Idea, Vote
from ideas.visibility import is_public_comment, is_public_idea
from live import events

from ..factories import MembershipFactory, MissionFactory, missions_index

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
                  Comment.objects.count(), Vote.objects.count(), Response.objects.count(),
                  ResponseAnswer.objects.count(), Campaign.objects.count())
        assert load_demo() == rows  # same accounts and passwords
    assert [r["role"] for r in rows] == ["admin", "mission-team", "moderator", "participant", "participant",
                                         "assessor", "assessor", "assessor", "panel_chair"]
    assert counts == (MissionPage.objects.count(), ChallengeCallPage.objects.count(), Idea.objects.count(),
                      Comment.objects.count(), Vote.objects.count(), Response.objects.count(),
                      ResponseAnswer.objects.count(), Campaign.objects.count()), "loading again changed something"
    for data in [m["consultation"] for m in missions if m.get("consultation")]:
        assert_demo_consultation(data)
    prizes = [m["prize"] for m in missions if m.get("prize")]
    # Each mission's call, the Pol.is call, and each prize (a kind of call).
    assert counts[0] == len(missions) and counts[1] == len(missions) + 1 + len(prizes)
    for data in prizes:
        prize = PrizeCallPage.objects.get(slug=data["slug"])
        assert [s.name for s in prize.stages()] == [s["name"] for s in data["stages"]] and prize.live
        # Its panel: the demo's three assessors and its chair, with their declared conflicts.
        panel = {m.user.email: m.is_chair for m in PanelMember.objects.filter(prize=prize).select_related("user")}
        assert panel == {r["email"]: r["role"] == "panel_chair" for r in rows
                         if r["role"] in ("assessor", "panel_chair")}
        assert Conflict.objects.filter(member__prize=prize).count() == len(data["panel"]["conflicts"])
        assert set(MissionMembership.objects.filter(mission=prize.get_parent(), role="assessor").values_list(
            "user__email", flat=True)) == set(panel)
        assert Application.objects.filter(prize=prize, status=Application.SUBMITTED).count() == len(
            data["applications"])
        # In its assessment stage: every application assigned to three
        # assessors, the scores in the data submitted, one file attached.
        rows = {r.application_id: r for r in StageResult.objects.filter(prize=prize)}
        assert len(rows) == len(data["applications"]) and all(r.assigned == 3 for r in rows.values())
        submitted = sorted(sum(1 for sheet in sheets if sheet) for sheets in data["assessments"])
        assert sorted(r.assessed for r in rows.values()) == submitted
        assert any(r.outliers for r in rows.values()), "an outlier for the chair to moderate"
        (attachment,) = Attachment.objects.filter(application__prize=prize)
        assert attachment.name == data["applications"][0]["attachment"]["name"]
        assert attachment.content_type == "application/pdf" and attachment.file.read(5) == b"%PDF-"
    for data in missions:
        call = ChallengeCallPage.objects.get(slug=data["call"]["slug"])
        ideas = Idea.objects.filter(call=call)
        assert sorted(ideas.values_list("title", flat=True)) == sorted(i["title"] for i in data["ideas"])
        assert all(is_public_idea(i) for i in ideas), "the moderator approved the held ones"
        assert all(is_public_comment(c) for c in Comment.objects.filter(idea__call=call)), "and the held comments"
        assert Comment.objects.filter(idea__call=call).count() == sum(comment_count(i.get("comments", []))
                                                                      for i in data["ideas"])
        assert Vote.objects.filter(idea__call=call).exists()


def assert_demo_consultation(data):
    """The consultation in the data: its questions of every type (one routed),
    its responses sent and counted (some for an organisation), and its campaign found."""
    consultation = ConsultationPage.objects.get(slug=data["slug"])
    assert consultation.live and consultation.is_open() and consultation.documents.count() == 1
    questions = consultation.question_list()
    assert len(questions) == sum(1 for item in data["questions"] if "section" not in item) >= 12
    assert {q.kind for q in questions} == {kind for kind, _ in asking.KIND_CHOICES}
    assert any(q.only_if for q in questions) and not asking.problems(questions, consultation.get_parent()
                                                                   .specific.learning_questions.values_list("pk", flat=True))
    sent = Response.objects.filter(consultation=consultation, status=Response.SUBMITTED)
    assert sent.count() == data["respondents"] and sent.filter(organisation__isnull=False).exists()
    # Counted as the submit service counts (a recount changes nothing); routed questions only when routed there.
    counts = tallies.stored(consultation.pk)
    assert counts[(questions[0].id, "", "", "")] == (data["respondents"], 0)
    assert any(d == tallies.ORGANISATION_TYPE for _, _, d, _ in counts)
    routed = next(q for q in questions if q.only_if)
    source, wanted = routed.only_if
    assert counts[(routed.id, "", "", "")][0] == counts[(source, wanted, "", "")][0]
    tallies.recount(consultation)
    assert tallies.stored(consultation.pk) == counts
    (campaign,) = Campaign.objects.filter(consultation=consultation)
    question = questions[data["campaign"]["question"] - 1]
    assert campaign.question == question.id and campaign.respondents == data["campaign"]["respondents"]
    assert campaign.respondents >= max(30, CAMPAIGN_MIN_RESPONDENTS) and campaign.text == data["campaign"]["text"]


@pytest.mark.django_db
def test_the_demo_imports_the_shipped_conversation_once(site):
    index = missions_index()
    mission_slug, _ = POLIS_DEMO
    safer = MissionFactory(slug=mission_slug, title="Make Britain's streets safer")
    team = MembershipFactory(mission=safer, role="team").user
    _import_polis_demo(index, team)
    _import_polis_demo(index, team)  # load_demo runs at every `make run`
    call = ChallengeCallPage.objects.child_of(safer).get()
    assert call.slug == "london-youth-policing" and CASE_STUDY in call.data_attribution
    assert Idea.objects.filter(call=call).count() == 39


# The London conversation's questions about who took part, as comments.csv words them (ids 0-14).
ABOUT_PARTICIPANT = {
    "I am between 15 and 19 years old.", "I am between 20 and 25 years old.", "I identify as male.",
    "I identify as female.", "My gender has changed since birth.", "English is my first language.",
    "My ethnicity is White.", "My ethnicity is Black, Black British, Caribbean or African.",
    "My ethnicity is Asian or British Asian.", "My ethnicity is Mixed (Multiple ethnic groups).",
    "My ethnicity is Arab.", "I had at least one encounter (good or bad) with the police.",
}
MODERATED_OUT = {"Are you between 15 and 19 years old?", "I am between 20 and 24 years old.",
                 "I am between 25 and 29 years old."}


@pytest.fixture
def london(site, django_capture_on_commit_callbacks):
    """The demo's Pol.is call, imported as load_demo does, its map computed after the commit."""
    index = missions_index()
    safer = MissionFactory(slug=POLIS_DEMO[0], title="Make Britain's streets safer")
    team = MembershipFactory(mission=safer, role="team").user
    with django_capture_on_commit_callbacks(execute=True):
        _import_polis_demo(index, team)
    return ChallengeCallPage.objects.child_of(safer).get(), team


@pytest.mark.django_db
def test_the_london_calls_statements_about_the_participant_are_marked_and_shown_as_who_took_part(london, client):
    from opinions.models import OpinionSnapshot

    call, team = london
    assert sorted(POLIS_ABOUT_PARTICIPANT["london.youth.policing"]) == list(range(15))
    marked = set(Idea.objects.filter(call=call, about_participant=True).values_list("body", flat=True))
    assert marked == ABOUT_PARTICIPANT | MODERATED_OUT
    opinions = Idea.objects.filter(call=call, about_participant=False)
    assert opinions.count() == 39 - 15 and not opinions.filter(body__startswith="My ethnicity").exists()

    # The map (computed at once after the import) keeps them apart.
    data = OpinionSnapshot.objects.get(call=call).data
    about_ids = {str(pk) for pk in Idea.objects.filter(call=call, body__in=ABOUT_PARTICIPANT).values_list("pk", flat=True)}
    assert set(data["meta"]) == about_ids
    assert not about_ids & {str(i) for i in data["divided"]} and not about_ids & set(data["consensus"])
    assert data["groups"], "the London call still has opinion groups"

    # The results page shows them as who took part, and never as divided opinion.
    page = client.get(call.url + "results/").content.decode()
    who = page[page.index('id="who-took-part"'):]
    for body in ("I identify as female.", "I am between 15 and 19 years old.", "My ethnicity is Arab."):
        assert body in who
        assert body not in page[:page.index('id="who-took-part"')]
    assert who.count("data-about-idea=") == len(ABOUT_PARTICIPANT)
    # The call page's results: "Where opinion divided" holds opinions only.
    call_page = client.get(call.url).content.decode()
    if 'id="most-divided"' in call_page:
        divided = call_page[call_page.index('id="most-divided"'):call_page.index("data-results-link")]
        for body in ABOUT_PARTICIPANT:
            assert body not in divided


@pytest.mark.django_db
def test_loading_again_marks_an_older_demo_databases_statements_once(london, django_capture_on_commit_callbacks):
    call, team = london
    index = missions_index()
    Idea.objects.filter(call=call, body="I identify as female.").update(about_participant=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _import_polis_demo(index, team)
    assert Idea.objects.get(call=call, body="I identify as female.").about_participant
    assert recomputations(callbacks) == 1  # for the one statement marked again
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _import_polis_demo(index, team)
    assert recomputations(callbacks) == 0  # nothing left to mark: nothing recomputed


def recomputations(callbacks):
    return sum(1 for c in callbacks if c.__qualname__.startswith("votes_changed_on_commit"))
