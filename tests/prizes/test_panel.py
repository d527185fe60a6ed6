"""A prize's panel: the mission's team appoints assessors and one chair; an
assessor declares conflicts; the panel reads as the assignment core's
Assessors in a fixed number of queries, and the assignment keeps away from
every conflict, the applicant's own organisation included."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult.models import MissionMembership
from inputs.refusals import Refused
from people import data_rights
from prizes import selectors
from prizes.services import panel as services
from prizes.assignment import Application, assign
from prizes.models import PanelMember

from people.models import Membership

from ..factories import MissionFactory, OrganisationFactory, UserFactory
from .factories import PrizeFactory


@pytest.fixture
def prize(site):
    return PrizeFactory(parent=MissionFactory())


@pytest.fixture
def team(prize):
    user = UserFactory()
    MissionMembership.objects.create(mission=prize.get_parent().specific, user=user, role=MissionMembership.ROLE_TEAM)
    return user


@pytest.mark.django_db
def test_the_team_appoints_a_panel_with_one_chair(prize, team):
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    services.appoint(team, prize, a, chair=True)
    services.appoint(team, prize, b)
    services.appoint(team, prize, c, chair=True)  # the chair moves to c
    assert selectors.chair(prize) == c.pk
    assert set(PanelMember.objects.filter(prize=prize).values_list("user_id", "is_chair")) == {
        (a.pk, False), (b.pk, False), (c.pk, True)}
    services.remove(team, prize, b)
    assert not PanelMember.objects.filter(prize=prize, user=b).exists()


@pytest.mark.django_db
def test_only_the_missions_team_appoints_and_only_an_assessor_declares(prize, team):
    stranger, assessor = UserFactory(), UserFactory()
    with pytest.raises(Refused) as refused:
        services.appoint(stranger, prize, assessor)
    assert refused.value.status == 403 and "mission's team" in refused.value.message
    assert not PanelMember.objects.exists()
    with pytest.raises(Refused) as refused:
        services.declare_conflict(stranger, prize, person=assessor)
    assert refused.value.status == 403
    services.appoint(team, prize, assessor)
    with pytest.raises(Refused) as refused:
        services.declare_conflict(assessor, prize)
    assert refused.value.field == "organisation"


@pytest.mark.django_db
def test_the_panel_reads_with_its_conflicts_and_the_assignment_keeps_away_from_them(prize, team):
    rival_org, own_org = OrganisationFactory(), OrganisationFactory()
    assessors = [UserFactory() for _ in range(4)]
    for user in assessors:
        services.appoint(team, prize, user)
    Membership.objects.create(user=assessors[0], organisation=own_org)
    applicant = UserFactory()
    services.declare_conflict(assessors[1], prize, organisation=rival_org)
    services.declare_conflict(assessors[2], prize, person=applicant)
    with CaptureQueriesContext(connection) as queries:
        panel = selectors.panel(prize)
    assert len(queries) == 3
    by_user = {a.id: a for a in panel}
    assert by_user[assessors[0].pk].organisations == {own_org.pk}
    assert by_user[assessors[1].pk].conflict_organisations == {rival_org.pk}
    assert by_user[assessors[2].pk].conflict_people == {applicant.pk}
    apps = [Application(1, applicant.pk, own_org.pk), Application(2, UserFactory().pk, rival_org.pk),
            Application(3, applicant.pk, None)]
    plan = assign(apps, panel, per_application=2)
    assert plan.complete
    assert assessors[0].pk not in plan.assigned[1] and assessors[2].pk not in plan.assigned[1]
    assert assessors[1].pk not in plan.assigned[2] and assessors[2].pk not in plan.assigned[3]
    # Four seats more than there are assessors free of conflict: the shortfall says so.
    short = assign(apps[:1], panel, per_application=4)
    assert short.shortfall == {1: 2}


@pytest.mark.django_db
def test_a_seat_and_its_conflicts_are_in_the_persons_data_and_go_with_their_account(prize, team):
    assessor, rival = UserFactory(), OrganisationFactory(name="Rival Ltd")
    services.appoint(team, prize, assessor, chair=True)
    services.declare_conflict(assessor, prize, organisation=rival)
    (row,) = list(selectors.data_rows(assessor))
    assert row["prize"] == prize.title and row["chair"] and row["conflicts"][0]["organisation"] == "Rival Ltd"
    assert "prize panels" in data_rights.section_names()
    assessor.delete()
    assert not PanelMember.objects.exists()
