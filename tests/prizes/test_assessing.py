"""Assessing (issue #28 items 4, 5, 7 and 9): an assessor scores every
criterion on its scale with a comment, as a draft then submitted; a score
off the scale is refused naming the criterion and nothing is stored; an
assessor with a conflict, or not assigned, finds no such application (404);
the other assessors' scores stay hidden until one's own are in, then show
unnamed; blind prizes show no name, organisation or file name; the sheet's
row holds the mean, spread and outliers; the sheet's topic hears of each
sheet; and the pages cost the same number of queries whatever the data."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inputs.refusals import Refused
from live import events
from live.topics import sheet_topic
from people.models import Profile
from prizes.models import Assignment, Attachment, Conflict, Score, StageResult
from prizes.services import assessments
from prizes.services.assessments import ScoresRefused

from ..factories import MissionFactory, OrganisationFactory, UserFactory
from .factories import PanelMemberFactory, PrizeFactory, SubmittedApplicationFactory


@pytest.fixture
def prize(site):
    return PrizeFactory(parent=MissionFactory())


@pytest.fixture
def world(prize):
    """An application on behalf of an organisation, with a file, assigned
    to three assessors (the first is the chair)."""
    assessors = [PanelMemberFactory(prize=prize, is_chair=i == 0).user for i in range(3)]
    applicant = UserFactory()
    Profile.objects.update_or_create(user=applicant, defaults={"display_name": "Ada Applicant"})
    organisation = OrganisationFactory(name="Kite Works Ltd")
    application = SubmittedApplicationFactory(prize=prize, applicant=applicant, organisation=organisation)
    stage = prize.stages()[0]
    q1, _q2 = stage.questions
    application.answers.create(stage=stage.id, question=q1.id, text="Tidal kites for harbours")
    Attachment.objects.create(application=application, stage=stage.id, file=f"prize-{prize.pk}/abc", name="kite-plan.pdf",
                              content_type="application/pdf", size=2048, scan=Attachment.CLEAN)
    Attachment.objects.create(application=application, stage=stage.id, file=f"prize-{prize.pk}/def", name="virus.pdf",
                              content_type="application/pdf", size=2048, scan=Attachment.INFECTED)
    Assignment.objects.bulk_create(Assignment(application=application, stage=stage.id, assessor=a) for a in assessors)
    return {"application": application, "assessors": assessors, "stage": stage, "criteria": stage.criteria}


def sheet(criteria, impact, feasibility, team, comment="Clear evidence"):
    values = dict(zip([c.id for c in criteria], [impact, feasibility, team]))
    return values, {c.id: f"{comment} on {c.name}" for c in criteria}


def browser_for(user):
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.mark.django_db
def test_a_score_off_the_scale_is_refused_naming_the_criterion_and_nothing_is_stored(prize, world):
    assessor, application = world["assessors"][1], world["application"]
    impact, feasibility, team = world["criteria"]
    scores, comments = sheet(world["criteria"], 11, 5, 3)
    with pytest.raises(ScoresRefused) as refused:
        assessments.submit_scores(assessor, prize, application, scores, comments)
    assert refused.value.errors == {f"score_{impact.id}": "Impact: give a whole number from 0 to 10."}
    scores, comments = sheet(world["criteria"], 5, "7.5", 0)
    comments[feasibility.id] = ""
    with pytest.raises(ScoresRefused) as refused:
        assessments.submit_scores(assessor, prize, application, scores, comments)
    assert refused.value.errors == {
        f"score_{feasibility.id}": "Feasibility: give a whole number from 0 to 10.",
        f"comment_{feasibility.id}": "Feasibility: say why you gave this score (the applicant's feedback is built "
                                     "from the comments).",
        f"score_{team.id}": "Team: give a whole number from 1 to 5."}
    assert not Score.objects.exists()
    assert Assignment.objects.get(application=application, assessor=assessor).submitted_at is None

    # Through the page: the error summary links to the box, nothing stored.
    response = browser_for(assessor).post(prize.url + f"assess/{application.pk}/", {
        f"score_{impact.id}": "12", f"comment_{impact.id}": "Good", f"score_{feasibility.id}": "5",
        f"comment_{feasibility.id}": "Fine", f"score_{team.id}": "3", f"comment_{team.id}": "Able",
        "action": "submit"})
    text = response.content.decode()
    assert response.status_code == 400
    assert f'<a href="#score_{impact.id}">Impact: give a whole number from 0 to 10.</a>' in text
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_a_draft_is_kept_then_submitted_once(prize, world):
    assessor, application = world["assessors"][1], world["application"]
    impact, feasibility, team = world["criteria"]
    browser = browser_for(assessor)
    url = prize.url + f"assess/{application.pk}/"
    saved = browser.post(url, {f"score_{impact.id}": "8", f"comment_{impact.id}": "Strong", "action": "save"})
    assert saved.status_code == 200 and "data-scores-saved" in saved.content.decode()
    assert list(Score.objects.values_list("criterion", "value", "comment")) == [(impact.id, 8, "Strong")]
    assert "In progress" in browser.get(prize.url + "assess/").content.decode()
    assert not StageResult.objects.filter(application=application, assessed__gt=0).exists()  # a draft counts for nothing
    page = browser.get(url).content.decode()
    assert 'value="8"' in page and ">Strong</textarea>" in page

    scores, comments = sheet(world["criteria"], 8, 6, 4)
    submitted = browser.post(url, {**{f"score_{k}": v for k, v in scores.items()},
                                   **{f"comment_{k}": v for k, v in comments.items()}, "action": "submit"})
    assert submitted.status_code == 302 and submitted["Location"].endswith("?submitted=1")
    assert "data-scores-submitted" in browser.get(submitted["Location"]).content.decode()
    assert Score.objects.count() == 3
    with pytest.raises(Refused) as refused:
        assessments.submit_scores(assessor, prize, application, scores, comments)
    assert refused.value.status == 409
    again = browser.post(url, {**{f"score_{k}": 0 for k in scores}, **{f"comment_{k}": "x" for k in scores}})
    assert again.status_code == 409 and "can no longer change" in again.content.decode()
    assert set(Score.objects.values_list("value", flat=True)) == {8, 6, 4}


@pytest.mark.django_db
def test_an_assessor_with_a_conflict_or_not_assigned_finds_no_such_application(prize, world):
    assessor, application = world["assessors"][2], world["application"]
    url = prize.url + f"assess/{application.pk}/"
    browser = browser_for(assessor)
    assert browser.get(url).status_code == 200
    Conflict.objects.create(member=assessor.prize_panels.get(), organisation=application.organisation)
    assert browser.get(url).status_code == 404
    assert browser.post(url, {"action": "submit"}).status_code == 404
    listing = browser.get(prize.url + "assess/").content.decode()
    assert "Conflict declared" in listing and f"assess/{application.pk}/" not in listing
    scores, comments = sheet(world["criteria"], 5, 5, 3)
    with pytest.raises(Refused) as refused:
        assessments.submit_scores(assessor, prize, application, scores, comments)
    assert (refused.value.status, refused.value.message) == (404, "No such application.")

    stranger = PanelMemberFactory(prize=prize).user
    assert browser_for(stranger).get(url).status_code == 404
    assert browser_for(UserFactory()).get(prize.url + "assess/").status_code == 404  # not on the panel


@pytest.mark.django_db
def test_the_others_scores_are_hidden_until_ones_own_are_in_then_shown_unnamed(prize, world):
    first, second, third = world["assessors"]
    application = world["application"]
    Profile.objects.update_or_create(user=first, defaults={"display_name": "Fiona First"})
    scores, comments = sheet(world["criteria"], 9, 8, 4, comment="Alpha comment")
    assessments.submit_scores(first, prize, application, scores, comments)
    url = prize.url + f"assess/{application.pk}/"
    browser = browser_for(second)
    before = browser.get(url).content.decode()
    assert "Alpha comment" not in before and "data-other-scores" not in before and "data-score-form" in before

    scores, comments = sheet(world["criteria"], 4, 4, 2, comment="Beta comment")
    browser.post(url, {**{f"score_{k}": v for k, v in scores.items()},
                       **{f"comment_{k}": v for k, v in comments.items()}, "action": "submit"})
    after = browser.get(url).content.decode()
    assert "Assessor 1" in after and "Alpha comment on Impact" in after and "Beta comment on Impact" in after
    assert "Fiona First" not in after and "data-score-form" not in after
    assert "1 other assessor still to submit" in after


@pytest.mark.django_db
def test_blind_assessment_shows_no_name_organisation_or_file_name(prize, world):
    assessor, application = world["assessors"][1], world["application"]
    browser = browser_for(assessor)
    seen = browser.get(prize.url + "assess/").content.decode() + browser.get(
        prize.url + f"assess/{application.pk}/").content.decode()
    assert "Ada Applicant" in seen and "Kite Works Ltd" in seen and "kite-plan.pdf" in seen
    assert "virus.pdf" not in seen  # refused by the scan: never offered

    prize.blind = True
    prize.save()
    listing = browser.get(prize.url + "assess/").content.decode()
    page = browser.get(prize.url + f"assess/{application.pk}/").content.decode()
    for text in (listing, page):
        assert "Ada Applicant" not in text and "Kite Works Ltd" not in text and "kite-plan.pdf" not in text
    assert application.reference in listing and "Tidal kites for harbours" in page
    file_id = Attachment.objects.get(name="kite-plan.pdf").pk
    assert f'apply/files/{file_id}/" download>Attachment 1</a>' in page


@pytest.mark.django_db
def test_three_sheets_make_the_sheets_row(prize, world, django_capture_on_commit_callbacks):
    application, criteria = world["application"], world["criteria"]
    first, second, third = world["assessors"]
    since = events.current_seq(sheet_topic(prize.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assessments.submit_scores(first, prize, application, *sheet(criteria, 10, 10, 5))   # 100
        assessments.submit_scores(second, prize, application, *sheet(criteria, 9, 9, 5))   # 92.5
        assessments.submit_scores(third, prize, application, *sheet(criteria, 2, 2, 1))    # 15
    row = StageResult.objects.get(application=application, stage=world["stage"].id)
    assert (row.assigned, row.assessed) == (3, 3)
    assert (row.mean, row.spread, row.final) == (69.17, 85.0, 69.17)
    assert row.outliers == [third.pk] and row.disagreement is True
    assert row.passes is False  # below the stage's 70% threshold

    # The chair's moderated score stands, and survives a recomputation.
    row.moderated, row.moderated_reason = 75.0, "The third assessor misread the brief."
    row.save()
    row = assessments.refresh_result(application, world["stage"].id)
    assert (row.final, row.passes, row.moderated, row.mean) == (75.0, True, 75.0, 69.17)
    assert row.moderated_reason == "The third assessor misread the brief."

    frames = events.backlog(sheet_topic(prize.pk), since)
    assert [f["event"] for f in frames] == ["sheet.scored"] * 3
    assert frames[-1]["data"] == {"stage": world["stage"].id, "application": application.pk, "assessed": 3,
                                  "assigned": 3}


def assign_many(prize, assessor, n):
    applications = [SubmittedApplicationFactory(prize=prize, organisation=OrganisationFactory()) for _ in range(n)]
    Assignment.objects.bulk_create(Assignment(application=a, stage=a.stage, assessor=assessor) for a in applications)
    return applications


def queries_for(browser, url):
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_assessors_list_costs_the_same_queries_for_10_or_20_applications(prize):
    assessor = PanelMemberFactory(prize=prize).user
    browser = browser_for(assessor)
    assign_many(prize, assessor, 10)
    ten = queries_for(browser, prize.url + "assess/")
    assign_many(prize, assessor, 10)
    twenty = queries_for(browser, prize.url + "assess/")
    assert ten == twenty


@pytest.mark.django_db
def test_the_assess_page_costs_the_same_queries_whatever_it_shows(prize, world):
    first, second, third = world["assessors"]
    application, criteria = world["application"], world["criteria"]
    assessments.submit_scores(first, prize, application, *sheet(criteria, 5, 5, 3))
    browser = browser_for(first)
    url = prize.url + f"assess/{application.pk}/"
    one = queries_for(browser, url)
    assessments.submit_scores(second, prize, application, *sheet(criteria, 6, 6, 3))
    assessments.submit_scores(third, prize, application, *sheet(criteria, 7, 7, 3))
    for n in range(3):
        Attachment.objects.create(application=application, stage=application.stage, file=f"prize-{prize.pk}/x{n}",
                                  name=f"more-{n}.csv", content_type="text/csv", size=10, scan=Attachment.UNSCANNED)
    assert queries_for(browser, url) == one
