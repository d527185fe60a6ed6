"""The panel's screens (issue #28, item 4): the mission team appoints
assessors by email address or username, makes one chair, removes someone
after a confirmation (not while they have applications to assess); the
appointed person is told and holds a mission role; anyone else is refused
and nothing changes. An assessor declares conflicts with an organisation or
a person and withdraws one until applications are assigned; bad input is
a form error that stores nothing. The team's page reads in the same number
of queries whatever the panel's size."""

from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consult.models import MissionMembership
from notifications.models import Kind, Notification
from prizes.models import Application, Assignment, Conflict, PanelMember
from prizes.services import panel as services

from ..factories import MissionFactory, OrganisationFactory, UserFactory
from .factories import PrizeFactory


@pytest.fixture
def prize(site):
    return PrizeFactory(parent=MissionFactory())


@pytest.fixture
def mission(prize):
    return prize.get_parent().specific


@pytest.fixture
def team(mission):
    user = UserFactory()
    MissionMembership.objects.create(mission=mission, user=user, role=MissionMembership.ROLE_TEAM)
    return user


class Browser(Client):
    """A client whose answers carry their page's text, unescaped (`.text`)."""

    def request(self, **request):
        answer = super().request(**request)
        answer.text = unescape(answer.content.decode())
        return answer


def browser_for(user):
    browser = Browser()
    browser.force_login(user)
    return browser


def seats(prize):
    return set(PanelMember.objects.filter(prize=prize).values_list("user_id", "is_chair"))


def assign(prize, assessor, submitted=False):
    application = Application.objects.create(prize=prize, applicant=UserFactory(), stage="s",
                                             status=Application.SUBMITTED)
    return Assignment.objects.create(application=application, stage="s", assessor=assessor,
                                     submitted_at=application.created_at if submitted else None)


@pytest.mark.django_db
def test_the_team_appoints_by_email_makes_one_chair_and_removes(prize, mission, team, django_capture_on_commit_callbacks):
    a, b = UserFactory(email="asha@example.org"), UserFactory(username="bo")
    browser = browser_for(team)
    page = browser.get(prize.url + "panel/")
    assert page.status_code == 200 and "No one is on the panel yet" in page.text

    with django_capture_on_commit_callbacks(execute=False):
        done = browser.post(prize.url + "panel/", {"action": "appoint", "account": " ASHA@example.org "})
    assert done.status_code == 302 and done["Location"].endswith("/panel/")
    assert seats(prize) == {(a.pk, False)}
    # A mission role, listed with the mission's others; it grants nothing there.
    assert MissionMembership.objects.filter(mission=mission, user=a, role=MissionMembership.ROLE_ASSESSOR).exists()
    told = Notification.objects.get(recipient=a)
    assert told.kind == Kind.TEAM and prize.title in told.title and told.link.endswith("/panel/conflicts/")
    assert "is on the panel: we have told them" in browser.get(prize.url + "panel/").text

    browser.post(prize.url + "panel/", {"action": "appoint", "account": "bo", "chair": "on"})
    assert seats(prize) == {(a.pk, False), (b.pk, True)}
    page = browser.get(prize.url + "panel/").text
    assert page.count("data-chair") == 1 and f'data-member="{b.pk}"' in page

    # Making the other chair moves the chair: one per prize.
    browser.post(prize.url + "panel/", {"action": "chair", "user": a.pk})
    assert seats(prize) == {(a.pk, True), (b.pk, False)}
    assert "the chair of the panel" in Notification.objects.filter(recipient=a).first().title

    # Appointing someone already there is a form error, not a demotion.
    again = browser.post(prize.url + "panel/", {"action": "appoint", "account": "asha@example.org"})
    assert again.status_code == 400 and "already on the panel as its chair" in again.text
    assert seats(prize) == {(a.pk, True), (b.pk, False)}

    # Removing asks first, then removes; the role goes with the last seat.
    confirm = browser.post(prize.url + "panel/", {"action": "remove", "user": b.pk})
    assert confirm.status_code == 200 and "Remove from the panel" in confirm.text
    assert seats(prize) == {(a.pk, True), (b.pk, False)}
    removed = browser.post(prize.url + "panel/", {"action": "remove", "user": b.pk, "confirm": "yes"})
    assert removed.status_code == 302 and seats(prize) == {(a.pk, True)}
    assert not MissionMembership.objects.filter(user=b, role=MissionMembership.ROLE_ASSESSOR).exists()


@pytest.mark.django_db
def test_the_assessor_role_stays_while_they_sit_on_another_prize_of_the_mission(prize, mission, team):
    other = PrizeFactory(parent=mission)
    person = UserFactory()
    services.appoint(team, prize, person)
    services.appoint(team, other, person)
    services.remove(team, prize, person)
    assert MissionMembership.objects.filter(user=person, role=MissionMembership.ROLE_ASSESSOR).count() == 1
    services.remove(team, other, person)
    assert not MissionMembership.objects.filter(user=person, role=MissionMembership.ROLE_ASSESSOR).exists()


@pytest.mark.django_db
def test_someone_with_applications_to_assess_is_not_removed(prize, team):
    person = UserFactory()
    services.appoint(team, prize, person)
    assign(prize, person, submitted=True)
    work = assign(prize, person)
    browser = browser_for(team)
    confirm = browser.post(prize.url + "panel/", {"action": "remove", "user": person.pk}).text
    assert "data-remove-blocked" in confirm and "1 application still to assess" in confirm
    assert "Remove from the panel" not in confirm
    refused = browser.post(prize.url + "panel/", {"action": "remove", "user": person.pk, "confirm": "yes"})
    assert refused.status_code == 409 and "still to assess" in refused.text
    assert PanelMember.objects.filter(prize=prize, user=person).exists()
    # Once it is assessed (or reassigned), they can go; their submitted work stays.
    Assignment.objects.filter(pk=work.pk).delete()
    assert browser.post(prize.url + "panel/", {"action": "remove", "user": person.pk,
                                               "confirm": "yes"}).status_code == 302
    assert not PanelMember.objects.filter(prize=prize, user=person).exists()
    assert Assignment.objects.filter(assessor=person).count() == 1


@pytest.mark.django_db
def test_an_unknown_account_is_a_form_error_and_nothing_is_stored(prize, team):
    browser = browser_for(team)
    for typed, message in (("nobody@example.org", "No account with that email address: ask them to sign up first."),
                           ("nobody", "No account with that username: ask them to sign up first."),
                           ("", "Enter the email address or username of the person to appoint.")):
        answer = browser.post(prize.url + "panel/", {"action": "appoint", "account": typed})
        assert answer.status_code == 400 and message in answer.text, typed
        assert "govuk-error-summary" in answer.text
    closed = UserFactory(is_active=False)
    answer = browser.post(prize.url + "panel/", {"action": "appoint", "account": closed.email})
    assert answer.status_code == 400 and "That account is closed" in answer.text
    assert not PanelMember.objects.exists() and not Notification.objects.exists()
    assert not MissionMembership.objects.filter(role=MissionMembership.ROLE_ASSESSOR).exists()


@pytest.mark.django_db
def test_only_the_team_manages_the_panel(prize, team):
    member = UserFactory()
    services.appoint(team, prize, member)
    for outsider in (UserFactory(), member):  # an assessor is not the team either
        browser = browser_for(outsider)
        page = browser.get(prize.url + "panel/")
        assert page.status_code == 403 and "Only this mission's team can appoint" in page.text
        assert "data-panel>" not in page.text and "data-member=" not in page.text
        for data in ({"action": "appoint", "account": outsider.email, "chair": "on"},
                     {"action": "chair", "user": member.pk},
                     {"action": "remove", "user": member.pk, "confirm": "yes"}):
            assert browser.post(prize.url + "panel/", data).status_code == 403
    assert seats(prize) == {(member.pk, False)}
    signed_out = Browser().get(prize.url + "panel/")
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]
    # Without the CSRF token a post is refused, even for the team.
    strict = Browser(enforce_csrf_checks=True)
    strict.force_login(team)
    assert strict.post(prize.url + "panel/", {"action": "remove", "user": member.pk, "confirm": "yes"}).status_code == 403
    assert seats(prize) == {(member.pk, False)}


@pytest.mark.django_db
def test_the_panel_page_reads_in_the_same_number_of_queries_as_it_grows(prize, team):
    browser = browser_for(team)

    def grow(n):
        for _ in range(n):
            person = UserFactory()
            services.appoint(team, prize, person)
            member = PanelMember.objects.get(prize=prize, user=person)
            Conflict.objects.create(member=member, organisation=OrganisationFactory())
            Conflict.objects.create(member=member, person=UserFactory())
            assign(prize, person)

    def count():
        browser.get(prize.url + "panel/")  # warm the caches (site root, header)
        with CaptureQueriesContext(connection) as queries:
            page = browser.get(prize.url + "panel/")
        assert page.status_code == 200
        return len(queries), page.text

    grow(1)
    small, _ = count()
    grow(5)
    large, page = count()
    assert large == small, f"{small} queries with 1 assessor, {large} with 6"
    assert page.count("data-member=") == 6 and page.count("(organisation)") == 6 and page.count("(person)") == 6


# --- an assessor's conflicts ------------------------------------------------------


@pytest.fixture
def assessor(prize, team):
    person = UserFactory()
    services.appoint(team, prize, person)
    return person


def conflicts_of(person):
    return set(Conflict.objects.filter(member__user=person).values_list("organisation_id", "person_id"))


@pytest.mark.django_db
def test_an_assessor_declares_a_conflict_with_an_organisation_and_with_a_person(prize, assessor):
    rival = OrganisationFactory(name="Tidal Kites Ltd", slug="tidal-kites")
    colleague = UserFactory()
    colleague.profile.display_name = "Cora Colleague"
    colleague.profile.save()
    browser = browser_for(assessor)
    page = browser.get(prize.url + "panel/conflicts/").text
    assert "You will not be asked to assess applications from them" in page and "You have declared none." in page

    done = browser.post(prize.url + "panel/conflicts/", {"action": "declare", "organisation": "tidal kites ltd"})
    assert done.status_code == 302
    assert conflicts_of(assessor) == {(rival.pk, None)}
    assert "Your conflict with Tidal Kites Ltd is declared" in browser.get(prize.url + "panel/conflicts/").text

    browser.post(prize.url + "panel/conflicts/", {"action": "declare", "person": "cora colleague"})
    other = UserFactory(email="other@example.org")
    browser.post(prize.url + "panel/conflicts/", {"action": "declare", "person": "Other@Example.org"})
    assert conflicts_of(assessor) == {(rival.pk, None), (None, colleague.pk), (None, other.pk)}
    page = browser.get(prize.url + "panel/conflicts/").text
    assert "Tidal Kites Ltd" in page and "Cora Colleague" in page and page.count("data-conflict=") == 3

    # The team sees them, to plan the assignment.
    team_page = browser_for(prize_team(prize)).get(prize.url + "panel/").text
    assert "Tidal Kites Ltd (organisation)" in team_page and "Cora Colleague (person)" in team_page

    # Withdrawn while nothing is assigned; after that they stay.
    first = Conflict.objects.get(member__user=assessor, organisation=rival)
    assert browser.post(prize.url + "panel/conflicts/", {"action": "withdraw", "conflict": first.pk}).status_code == 302
    assert conflicts_of(assessor) == {(None, colleague.pk), (None, other.pk)}
    assign(prize, assessor)
    page = browser.get(prize.url + "panel/conflicts/").text
    assert "data-conflicts-locked" in page and 'name="conflict"' not in page
    kept = Conflict.objects.get(member__user=assessor, person=colleague)
    refused = browser.post(prize.url + "panel/conflicts/", {"action": "withdraw", "conflict": kept.pk})
    assert refused.status_code == 409 and "stay" in refused.text
    assert conflicts_of(assessor) == {(None, colleague.pk), (None, other.pk)}


def prize_team(prize):
    return MissionMembership.objects.filter(mission=prize.get_parent(), role=MissionMembership.ROLE_TEAM).first().user


@pytest.mark.django_db
def test_bad_conflicts_are_form_errors_and_store_nothing(prize, assessor):
    OrganisationFactory(name="Twin Ltd", slug="twin-a")
    OrganisationFactory(name="Twin Ltd", slug="twin-b")
    namesake_a, namesake_b = UserFactory(), UserFactory()
    for user in (namesake_a, namesake_b):
        user.profile.display_name = "Sam Same"
        user.profile.save()
    organisation = OrganisationFactory(name="Real Org")
    browser = browser_for(assessor)
    for data, message in (
        ({}, "Enter the organisation or the person you have a conflict with."),
        ({"organisation": "Real Org", "person": namesake_a.email},
         "Enter an organisation or a person, not both: declare each on its own."),
        ({"organisation": "No Such Org"}, "No organisation with that name is registered here"),
        ({"organisation": "Twin Ltd"}, "More than one organisation has that name"),
        ({"person": "nobody@example.org"}, "No one with that name, username or email address has an account here."),
        ({"person": "Sam Same"}, "More than one person has that name"),
        ({"person": assessor.email}, "You cannot have a conflict with yourself"),
    ):
        answer = browser.post(prize.url + "panel/conflicts/", {"action": "declare", **data})
        assert answer.status_code == 400 and message in answer.text, data
        assert "govuk-error-summary" in answer.text
    assert not Conflict.objects.exists()
    # The ambiguity has a way out: the organisation's address, the person's username.
    browser.post(prize.url + "panel/conflicts/", {"action": "declare", "organisation": "twin-b"})
    browser.post(prize.url + "panel/conflicts/", {"action": "declare", "person": namesake_b.username})
    assert conflicts_of(assessor) == {(PanelMember.objects.get(user=assessor).conflicts.get(
        organisation__slug="twin-b").organisation_id, None), (None, namesake_b.pk)}
    assert organisation.pk not in {o for o, _p in conflicts_of(assessor)}


@pytest.mark.django_db
def test_only_an_assessor_on_the_panel_declares_conflicts(prize, assessor, team):
    organisation = OrganisationFactory()
    for outsider in (UserFactory(), team):  # the team is not on the panel
        browser = browser_for(outsider)
        page = browser.get(prize.url + "panel/conflicts/")
        assert page.status_code == 403 and "Only an assessor on this prize's panel" in page.text
        posted = browser.post(prize.url + "panel/conflicts/", {"action": "declare", "organisation": organisation.name})
        assert posted.status_code == 403
    # Nor may one assessor withdraw another's declaration.
    services.declare_conflict(assessor, prize, organisation=organisation)
    other = UserFactory()
    services.appoint(team, prize, other)
    conflict = Conflict.objects.get()
    answer = browser_for(other).post(prize.url + "panel/conflicts/", {"action": "withdraw", "conflict": conflict.pk})
    assert answer.status_code == 404 and Conflict.objects.count() == 1
