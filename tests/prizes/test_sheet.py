"""The panel sheet to the published results: ranked rows with flags (chair
and team only), the chair's moderated score in the audit log, the team's
decisions and edited feedback, publishing with confirmation, the feedback
email, the applicant's page, the results on the call page. Scores and
assessors are never public."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consult.models import MissionMembership
from moderation.models import ModerationAction
from moderation.selectors import transparency
from people.models import Membership
from prizes.models import Application, Assignment, PanelMember, PublishedStage, Score, StageResult
from prizes.services import decisions as deciding
from prizes.services.assessments import refresh_result

from ..factories import MembershipFactory, MissionFactory, OrganisationFactory, UserFactory
from .factories import PrizeFactory


class Panel:
    """A prize in its open stage with three assessors, a chair (the first)
    and the mission's team member."""

    def __init__(self, blind=False):
        self.mission = MissionFactory()
        self.prize = PrizeFactory(parent=self.mission, blind=blind)
        self.stage = self.prize.stages()[0]
        self.team = UserFactory()
        MembershipFactory(user=self.team, mission=self.mission, role=MissionMembership.ROLE_TEAM)
        self.assessors = [UserFactory() for _ in range(3)]
        for n, user in enumerate(self.assessors):
            PanelMember.objects.create(prize=self.prize, user=user, is_chair=n == 0)
        self.chair = self.assessors[0]

    def application(self, sheets, organisation=None):
        """A submitted application scored by the assessors: `sheets` holds
        each assessor's scores in criterion order (None: not submitted)."""
        applicant = UserFactory()
        if organisation is not None:
            Membership.objects.create(user=applicant, organisation=organisation)
        application = Application.objects.create(
            prize=self.prize, applicant=applicant, organisation=organisation, stage=self.stage.id,
            status=Application.SUBMITTED, submitted_at=timezone.now())
        for assessor, values in zip(self.assessors, sheets):
            assignment = Assignment.objects.create(application=application, stage=self.stage.id, assessor=assessor,
                                                   submitted_at=timezone.now() if values else None)
            for criterion, value in zip(self.stage.criteria, values or ()):
                Score.objects.create(assignment=assignment, criterion=criterion.id, value=value,
                                     comment=f"{criterion.name}: comment {value}")
        refresh_result(application, self.stage)
        return application


def client(user):
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def panel(site):
    return Panel()


@pytest.mark.django_db
def test_the_sheet_ranks_flags_and_is_only_for_the_chair_and_team(panel):
    # Criteria: Impact 0–10 ×2, Feasibility 0–10 ×1, Team 1–5 ×1.
    top = panel.application([(10, 10, 5), (10, 10, 5), (9, 10, 5)])
    tied_a = panel.application([(5, 5, 3), (5, 5, 3), (5, 5, 3)])
    tied_b = panel.application([(5, 5, 3), (5, 5, 3), (5, 5, 3)])
    odd = panel.application([(9, 9, 5), (9, 9, 5), (0, 0, 1)])  # one assessor far from the others
    waiting = panel.application([(5, 5, 3), None, None])
    sheet = client(panel.chair).get(panel.prize.url + "sheet/")
    assert sheet.status_code == 200
    html = sheet.content.decode()
    order = [html.index(f'data-sheet-row="{a.reference}"') for a in (top, odd, tied_a, tied_b)]
    assert order == sorted(order)
    rows = {r.application_id: r for r in StageResult.objects.filter(prize=panel.prize)}
    assert rows[tied_a.pk].final == rows[tied_b.pk].final == 50.0
    assert rows[odd.pk].outliers == [panel.assessors[2].pk] and rows[odd.pk].disagreement
    assert rows[waiting.pk].assessed == 1 and rows[waiting.pk].assigned == 3
    assert html.count('data-flag="outlier"') == 1 and html.count('data-flag="disagreement"') == 1
    assert "5 applications; 13 of 15 assessments in; 1 flagged" in html
    flagged = client(panel.team).get(panel.prize.url + "sheet/?show=flagged").content.decode()
    assert f'data-sheet-row="{odd.reference}"' in flagged and f'data-sheet-row="{top.reference}"' not in flagged
    # The flagged view keeps the rank it has in the whole stage (second).
    assert '<td class="govuk-table__cell">2</td>' in flagged

    assert client(panel.assessors[1]).get(panel.prize.url + "sheet/").status_code == 403
    assert client(UserFactory()).get(panel.prize.url + "sheet/").status_code == 403
    assert Client().get(panel.prize.url + "sheet/").status_code == 302
    assert client(panel.chair).get(panel.prize.url + "sheet/?page=abc").status_code == 400


@pytest.mark.django_db
def test_the_sheet_costs_the_same_queries_for_more_applications(panel):
    for _ in range(3):
        panel.application([(5, 5, 3)] * 3)
    browser = client(panel.team)
    browser.get(panel.prize.url + "sheet/")  # the session and site, read once
    with CaptureQueriesContext(connection) as few:
        assert browser.get(panel.prize.url + "sheet/").status_code == 200
    for _ in range(9):
        panel.application([(6, 5, 3)] * 3, organisation=OrganisationFactory())
    with CaptureQueriesContext(connection) as more:
        assert browser.get(panel.prize.url + "sheet/").status_code == 200
    assert len(more) == len(few)


@pytest.mark.django_db
def test_blind_mode_hides_names_from_the_chair_but_not_the_team(site):
    panel = Panel(blind=True)
    organisation = OrganisationFactory(name="Tidal Kites Ltd")
    application = panel.application([(5, 5, 3)] * 3, organisation=organisation)
    for page in ("sheet/", f"sheet/{application.pk}/"):
        chair = client(panel.chair).get(panel.prize.url + page).content.decode()
        assert application.reference in chair and "Tidal Kites Ltd" not in chair
        assert "Tidal Kites Ltd" in client(panel.team).get(panel.prize.url + page).content.decode()


@pytest.mark.django_db
def test_the_chair_moderates_an_outlier_with_a_reason_in_the_audit_log(panel):
    odd = panel.application([(9, 9, 5), (9, 9, 5), (0, 0, 1)])
    row = StageResult.objects.get(application=odd)
    before = row.final
    url = panel.prize.url + f"sheet/{odd.pk}/"
    chair = client(panel.chair)
    page = chair.get(url).content.decode()
    assert "Assessor 3" in page and "Outlier" in page and "Record the moderated score" in page

    no_reason = chair.post(url, {"action": "moderate", "score": "88", "reason": ""})
    assert no_reason.status_code == 400 and "Say why the score is moderated" in no_reason.content.decode()
    out_of_range = chair.post(url, {"action": "moderate", "score": "150", "reason": "The panel agreed so."})
    assert out_of_range.status_code == 400 and "from 0 to 100" in out_of_range.content.decode()
    not_a_number = chair.post(url, {"action": "moderate", "score": "NaN", "reason": "The panel agreed so."})
    assert not_a_number.status_code == 400
    row.refresh_from_db()
    assert row.moderated is None and row.final == before
    assert not ModerationAction.objects.filter(kind=ModerationAction.Kind.SCORE).exists()

    done = chair.post(url, {"action": "moderate", "score": "88", "reason": "Assessor 3 misread the trial data."})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.moderated == 88.0 and row.final == 88.0 and row.mean == before and row.passes is True
    entry = ModerationAction.objects.get(kind=ModerationAction.Kind.SCORE)
    assert entry.moderator == panel.chair and entry.mission.pk == panel.mission.pk
    assert entry.reason_text == "Assessor 3 misread the trial data."
    assert entry.before == {"score": None} and entry.after == {"score": 88.0}
    # The audit log is the team's and moderators'; the public transparency
    # report counts content decisions only.
    assert all(r["action"] != "score" for r in transparency(panel.mission))
    # Another assessor's sheet still counts: a new submission keeps the moderated score.
    refresh_result(odd, panel.stage)
    row.refresh_from_db()
    assert row.final == 88.0

    # Only the chair moderates: the team is refused and nothing changes.
    refused = client(panel.team).post(url, {"action": "moderate", "score": "10", "reason": "Because we say so."})
    assert refused.status_code == 403
    row.refresh_from_db()
    assert row.moderated == 88.0


@pytest.mark.django_db
def test_decisions_feedback_publication_email_and_public_results(panel, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(name="Harbour Heat Co-op")
    winner = panel.application([(10, 9, 5)] * 3, organisation=organisation)
    runner = panel.application([(7, 7, 4)] * 3)
    declined = panel.application([(2, 2, 2)] * 3)
    waiting = panel.application([(5, 5, 3), (5, 5, 3), None])
    team = client(panel.team)
    sheet_url = panel.prize.url + "sheet/"

    # From the sheet: advance two, decline one; "award" needs what is awarded.
    no_award = team.post(sheet_url, {"applications": [winner.pk], "decision": "awarded", "award": ""})
    assert no_award.status_code == 400 and "Say what is awarded" in no_award.content.decode()
    assert team.post(sheet_url, {"applications": ["x"], "decision": "advanced"}).status_code == 400
    assert team.post(sheet_url, {"applications": [winner.pk, runner.pk], "decision": "advanced"}).status_code == 200
    team.post(sheet_url, {"applications": [declined.pk], "decision": "declined"})
    assert client(panel.chair).post(sheet_url, {"applications": [declined.pk], "decision": "advanced"}).status_code == 403
    assert StageResult.objects.get(application=declined).decision == "declined"

    # Feedback: drafted from the assessors' comments, edited, every criterion needed.
    row_url = panel.prize.url + f"sheet/{runner.pk}/"
    draft = team.get(row_url).content.decode()
    assert "Impact: comment 7" in draft and panel.assessors[1].email not in draft
    ids = [c.id for c in panel.stage.criteria]
    missing = team.post(row_url, {"action": "feedback", f"feedback_{ids[0]}": "Good impact."})
    assert missing.status_code == 400 and "Write feedback on “Feasibility”" in missing.content.decode()
    assert StageResult.objects.get(application=runner).feedback == {}
    team.post(row_url, {"action": "feedback", **{f"feedback_{c}": f"Edited feedback {n}." for n, c in enumerate(ids)}})
    assert StageResult.objects.get(application=runner).feedback[ids[0]] == "Edited feedback 0."

    # Publishing with an assessment outstanding and an application undecided asks first, naming them.
    publish_url = panel.prize.url + "sheet/publish/"
    warned = team.get(publish_url).content.decode()
    assert waiting.reference in warned and "1 assessment is outstanding" in warned
    refused = team.post(publish_url, {"stage": panel.stage.id})
    assert refused.status_code == 409 and waiting.reference in refused.content.decode()
    assert not PublishedStage.objects.exists() and not mail.outbox
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = team.post(publish_url, {"stage": panel.stage.id, "confirm": "yes"})
    assert done.status_code == 302
    assert PublishedStage.objects.filter(prize=panel.prize, stage=panel.stage.id).exists()
    assert StageResult.objects.get(application=waiting).decision == "declined"

    # Advanced applications move into the next stage, to answer its questions.
    final = panel.prize.stages()[1]
    winner.refresh_from_db()
    assert winner.stage == final.id and winner.status == Application.DRAFT
    declined.refresh_from_db()
    assert declined.stage == panel.stage.id

    # Every applicant is emailed their result and the feedback by criterion.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.applicant.email for a in (winner, runner, declined, waiting))
    runner_mail = next(m for m in mail.outbox if m.to == [runner.applicant.email])
    assert "Advanced to the next stage" in runner_mail.body and "Edited feedback 1." in runner_mail.body
    assert "Feasibility" in runner_mail.body and runner.reference in runner_mail.body
    assert StageResult.objects.filter(feedback_sent_at__isnull=True).count() == 0

    # The applicant's page: the result and the feedback.
    own = client(runner.applicant).get(panel.prize.url + "application/").content.decode()
    assert "Advanced to the next stage" in own and "Edited feedback 2." in own
    declined_page = client(declined.applicant).get(panel.prize.url + "application/").content.decode()
    assert "Not taken forward" in declined_page and "Impact: comment 2" in declined_page
    assert client(UserFactory()).get(panel.prize.url + "application/").status_code == 404

    # The call page names who advanced, never a declined applicant, a score or an assessor.
    public = Client().get(panel.prize.url).content.decode()
    assert "data-prize-results" in public and "Harbour Heat Co-op" in public
    assert "4 applications assessed" in public
    for hidden in (declined.applicant.profile.display_name, waiting.applicant.profile.display_name,
                   *[a.profile.display_name for a in panel.assessors], "Impact: comment"):
        assert hidden not in public

    # Open data and "you said, we did" carry the same public results.
    rows = Client().get("/api/v1/prize-results", {"call": panel.prize.pk}).json()
    assert rows["count"] == 2 and {r["name"] for r in rows["results"]} == {
        "Harbour Heat Co-op", runner.applicant.profile.display_name}
    assert {r["outcome"] for r in rows["results"]} == {"advanced"}
    assert not {"final", "mean", "score", "assessor"} & set(rows["results"][0])
    assert Client().get("/api/v1/prize-results", {"mission": panel.mission.pk}).json()["count"] == 2
    assert Client().get("/api/v1/prize-results", {"colour": "red"}).status_code == 400
    ledger = Client().get(panel.mission.url + "you-said-we-did/").content.decode()
    assert f'data-ledger-prize="{panel.prize.pk}"' in ledger and "Harbour Heat Co-op" in ledger
    assert declined.applicant.profile.display_name not in ledger

    # Published decisions no longer change.
    with pytest.raises(deciding.Refused):
        deciding.decide(panel.team, panel.prize, [declined.pk], "advanced")
