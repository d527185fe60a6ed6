"""Assigning a stage's applications to the panel (issue #28 item 4): N
assessors each, none with a conflict and never from the applicant's own
organisation; running again fills only the gaps; a panel too small says
how many assessments are missing and still makes what it can; the chair
moves an assignment to an eligible assessor; the assessor hears of new
work live (item 7) on their own topic, and the sheet's topic is theirs who
see the sheet."""

from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from consult.models import MissionMembership
from inputs.refusals import Refused
from live import events
from live.topics import TopicError, authorise, sheet_topic, user_topic
from people.models import Membership
from prizes.models import Assignment, Conflict, StageResult
from prizes.services import assessments

from ..factories import MissionFactory, OrganisationFactory, UserFactory
from .factories import PanelMemberFactory, PrizeFactory, SubmittedApplicationFactory


@pytest.fixture
def prize(site):
    return PrizeFactory(parent=MissionFactory())


@pytest.fixture
def team(prize):
    user = UserFactory()
    MissionMembership.objects.create(mission=prize.get_parent().specific, user=user, role=MissionMembership.ROLE_TEAM)
    return user


def panel_of(prize, n, chair=True):
    return [PanelMemberFactory(prize=prize, is_chair=chair and i == 0).user for i in range(n)]


def assessors_of(application):
    return set(Assignment.objects.filter(application=application).values_list("assessor_id", flat=True))


@pytest.mark.django_db
def test_each_application_gets_three_assessors_none_conflicted_nor_of_its_organisation(prize, team):
    assessors = panel_of(prize, 5)
    org = OrganisationFactory()
    Membership.objects.create(user=assessors[1], organisation=org)
    on_behalf = SubmittedApplicationFactory(prize=prize, organisation=org)
    declared = SubmittedApplicationFactory(prize=prize)
    Conflict.objects.create(member=assessors[2].prize_panels.get(), person=declared.applicant)
    others = [SubmittedApplicationFactory(prize=prize) for _ in range(4)]
    SubmittedApplicationFactory(prize=prize, status="draft")  # a draft is not assessed

    run = assessments.assign_stage(team, prize)

    assert run.made == 18 and run.message == "" and run.complete
    for application in [on_behalf, declared, *others]:
        assert len(assessors_of(application)) == 3
    assert assessors[1].pk not in assessors_of(on_behalf)   # belongs to the applicant's organisation
    assert assessors[2].pk not in assessors_of(declared)    # declared a conflict with the applicant
    assert Assignment.objects.count() == 18
    load = Counter(Assignment.objects.values_list("assessor_id", flat=True))
    assert max(load.values()) - min(load.values()) <= 1
    assert dict(StageResult.objects.values_list("application_id", "assigned")) == {
        a.pk: 3 for a in [on_behalf, declared, *others]}


@pytest.mark.django_db
def test_running_again_fills_only_the_gaps(prize, team):
    panel_of(prize, 4)
    first = [SubmittedApplicationFactory(prize=prize) for _ in range(3)]
    assessments.assign_stage(team, prize)
    before = set(Assignment.objects.values_list("pk", "application_id", "assessor_id"))

    again = assessments.assign_stage(team, prize)
    assert again.made == 0 and set(Assignment.objects.values_list("pk", "application_id", "assessor_id")) == before

    late = SubmittedApplicationFactory(prize=prize)
    Assignment.objects.filter(application=first[0]).order_by("pk").first().delete()
    run = assessments.assign_stage(team, prize)
    assert run.made == 4  # three for the late one, one gap
    after = set(Assignment.objects.values_list("pk", "application_id", "assessor_id"))
    assert len(before - after) == 1 and len(after - before) == 4
    assert len(assessors_of(late)) == 3 and len(assessors_of(first[0])) == 3


@pytest.mark.django_db
def test_a_panel_too_small_makes_what_it_can_and_says_how_many_are_missing(prize, team):
    panel_of(prize, 2)
    applications = [SubmittedApplicationFactory(prize=prize) for _ in range(2)]
    browser = Client()
    browser.force_login(team)
    page = browser.get(prize.url + "panel/assign/")
    text = page.content.decode()
    assert page.status_code == 200 and "Assign applications to assessors" in text
    assert 'data-count="applications">2<' in text and 'data-count="assessors">2<' in text

    response = browser.post(prize.url + "panel/assign/", {"stage": prize.stages()[0].id})
    text = response.content.decode()
    assert response.status_code == 200 and "data-assign-shortfall" in text
    assert "The panel is 2 assessments short: 2 applications have too few assessors" in text
    assert f"P{prize.pk}-{applications[0].pk}" in text and "4 assignments were made" in text
    assert Assignment.objects.count() == 4
    assert set(StageResult.objects.values_list("assigned", flat=True)) == {2}


@pytest.mark.django_db
def test_only_the_team_assigns_and_bad_input_is_refused(prize, team):
    assessor = panel_of(prize, 1)[0]
    with pytest.raises(Refused) as refused:
        assessments.assign_stage(assessor, prize)
    assert refused.value.status == 403
    with pytest.raises(Refused) as refused:
        assessments.assign_stage(team, prize)
    assert refused.value.status == 409 and "No applications have been submitted to Open" in refused.value.message
    with pytest.raises(Refused) as refused:
        assessments.assign_stage(team, prize, stage_id="no-such-stage")
    assert refused.value.field == "stage"
    browser = Client()
    browser.force_login(assessor)
    assert browser.get(prize.url + "panel/assign/").status_code == 403
    assert browser.post(prize.url + "panel/assign/").status_code == 403
    assert not Assignment.objects.exists()


@pytest.fixture
def assigned(prize, team):
    """Four assessors (the first is the chair), one application assigned to
    three of them; the fourth is free."""
    assessors = panel_of(prize, 4)
    application = SubmittedApplicationFactory(prize=prize)
    Assignment.objects.bulk_create(Assignment(application=application, stage=application.stage, assessor=a)
                                   for a in assessors[:3])
    assessments.assign_stage(team, prize)  # nothing to add; makes the sheet's row
    return application, assessors


@pytest.mark.django_db
def test_the_chair_moves_an_assignment_to_an_eligible_assessor(prize, assigned):
    application, (chair, a, b, free) = assigned
    browser = Client()
    browser.force_login(chair)
    page = browser.get(prize.url + f"sheet/{application.pk}/reassign/")
    text = page.content.decode()
    assert page.status_code == 200 and 'name="to" type="radio" value="%d"' % free.pk in text
    assert 'name="to" type="radio" value="%d"' % a.pk not in text  # already assigned: not offered

    response = browser.post(prize.url + f"sheet/{application.pk}/reassign/", {"assignment": a.pk, "to": free.pk})
    assert response.status_code == 302 and response["Location"].endswith("/reassign/?moved=1")
    assert assessors_of(application) == {chair.pk, b.pk, free.pk}
    assert StageResult.objects.get(application=application).assigned == 3
    assert "data-reassigned" in browser.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_reassigning_is_refused_to_a_non_chair_to_a_conflicted_assessor_and_after_scores(prize, assigned):
    application, (chair, a, b, free) = assigned
    with pytest.raises(Refused) as refused:
        assessments.reassign(a, prize, application, b.pk, free.pk)
    assert refused.value.status == 403 and "chair" in refused.value.message
    browser = Client()
    browser.force_login(a)
    assert browser.post(prize.url + f"sheet/{application.pk}/reassign/",
                        {"assignment": b.pk, "to": free.pk}).status_code == 403

    Conflict.objects.create(member=free.prize_panels.get(), person=application.applicant)
    with pytest.raises(Refused) as refused:
        assessments.reassign(chair, prize, application, a.pk, free.pk)
    assert refused.value.field == "to" and "conflict of interest" in refused.value.message
    chair_browser = Client()
    chair_browser.force_login(chair)
    page = chair_browser.get(prize.url + f"sheet/{application.pk}/reassign/").content.decode()
    assert "data-nobody-eligible" in page  # the conflicted one is not offered
    response = chair_browser.post(prize.url + f"sheet/{application.pk}/reassign/", {"assignment": a.pk, "to": free.pk})
    assert response.status_code == 400 and "conflict of interest" in response.content.decode()

    outsider = UserFactory()
    with pytest.raises(Refused) as refused:
        assessments.reassign(chair, prize, application, a.pk, outsider.pk)
    assert refused.value.field == "to" and "on this prize's panel" in refused.value.message
    with pytest.raises(Refused) as refused:
        assessments.reassign(chair, prize, application, a.pk, b.pk)
    assert "already assigned" in refused.value.message
    Assignment.objects.filter(application=application, assessor=a).update(submitted_at="2026-01-01T00:00:00Z")
    Conflict.objects.all().delete()
    with pytest.raises(Refused) as refused:
        assessments.reassign(chair, prize, application, a.pk, free.pk)
    assert refused.value.status == 409 and "submitted their scores" in refused.value.message
    assert assessors_of(application) == {chair.pk, a.pk, b.pk}


@pytest.mark.django_db
def test_new_assignments_are_announced_on_the_assessors_own_topic(prize, team, django_capture_on_commit_callbacks):
    assessors = panel_of(prize, 3)
    for _ in range(2):
        SubmittedApplicationFactory(prize=prize)
    since = {a.pk: events.current_seq(user_topic(a.pk)) for a in assessors}
    sheet_since = events.current_seq(sheet_topic(prize.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assessments.assign_stage(team, prize)
    for a in assessors:
        frames = events.backlog(user_topic(a.pk), since[a.pk])
        assert [(f["event"], f["data"]) for f in frames] == [("assignment.added", {"prize": prize.pk, "count": 2})]
        assert frames[0]["type"] == "event" and frames[0]["topic"] == f"user:{a.pk}"
    sheet = events.backlog(sheet_topic(prize.pk), sheet_since)
    assert [(f["event"], f["data"]["assignments"]) for f in sheet] == [("sheet.assigned", 6)]

    # Nothing new: nothing said.
    since = {a.pk: events.current_seq(user_topic(a.pk)) for a in assessors}
    with django_capture_on_commit_callbacks(execute=True):
        assessments.assign_stage(team, prize)
    assert all(events.backlog(user_topic(a.pk), since[a.pk]) == [] for a in assessors)


@pytest.mark.django_db
def test_a_move_is_announced_to_both_assessors(prize, assigned, monkeypatch, django_capture_on_commit_callbacks):
    application, (chair, a, b, free) = assigned
    sent = []
    monkeypatch.setattr(events, "publish", lambda topic, event, data: sent.append((topic, event, data)))
    with django_capture_on_commit_callbacks(execute=True):
        assessments.reassign(chair, prize, application, a.pk, free.pk)
    assert (user_topic(free.pk), "assignment.added", {"prize": prize.pk, "count": 1}) in sent
    assert (user_topic(a.pk), "assignment.removed", {"prize": prize.pk, "count": 1}) in sent
    assert any(topic == sheet_topic(prize.pk) and event == "sheet.assigned" for topic, event, _data in sent)


@pytest.mark.django_db
def test_the_assessors_list_follows_their_own_topic_and_shows_a_notice(prize, assigned):
    application, (chair, a, b, free) = assigned
    browser = Client()
    browser.force_login(a)
    text = browser.get(prize.url + "assess/").content.decode()
    assert f'data-live-topics="user:{a.pk}"' in text
    assert 'data-live-notice="assignment.added assignment.removed"' in text
    assert f'data-live-notice-match="prize:{prize.pk}"' in text and "The list below shows them" in text
    # The list itself is a region the live client re-reads from the server on those events.
    assert ('data-live-part="assignments" data-live-refresh="assignment.added assignment.removed" '
            f'data-live-match="prize:{prize.pk}"') in text


@pytest.mark.django_db
def test_only_those_who_see_the_sheet_follow_its_topic(prize, assigned, team):
    _application, (chair, a, _b, _free) = assigned
    topic = sheet_topic(prize.pk)
    assert authorise(chair, topic) == ("sheet", prize.pk)
    assert authorise(team, topic) == ("sheet", prize.pk)
    with pytest.raises(TopicError) as refused:
        authorise(a, topic)
    assert refused.value.code == "forbidden"
    with pytest.raises(TopicError) as refused:
        authorise(AnonymousUser(), topic)
    assert refused.value.code == "not_authenticated"
    with pytest.raises(TopicError) as refused:
        authorise(chair, sheet_topic(10**9))
    assert refused.value.code == "not_found"
