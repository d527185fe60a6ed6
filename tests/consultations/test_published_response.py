"""The published response (issue #29 item 5): the team writes and publishes
its response question by question beside the suppressed results, linked
from the consultation and the mission's "you said, we did"; responses
whose authors allowed it are published once a moderator approves them,
under the right name, and a hidden one disappears at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consult.models import MissionMembership
from consultations import tallies
from consultations.models import GovernmentResponse, Response, ResponseAnswer
from consultations.services import publishing
from ideas.models import Visibility
from inputs.refusals import Refused
from moderation.models import ModerationAction
from people.names import display_name

from ..factories import MembershipFactory, MissionFactory, OrganisationFactory, UserFactory
from .factories import ConsultationFactory

AGREE, WHY = "b1", "b2"


def respond(consultation, answers, publish=Response.PUBLISH_NONE, organisation=None, user=None):
    response = Response.objects.create(consultation=consultation, respondent=user or UserFactory(),
                                       organisation=organisation, status=Response.SUBMITTED, publish=publish)
    for question, value in answers.items():
        ResponseAnswer.objects.create(response=response, question=question, value=value)
    tallies.add_response(response)
    return response


@pytest.fixture
def world(site):
    class World:
        mission = MissionFactory()
        consultation = ConsultationFactory(parent=mission)
        team = UserFactory()

        def client(self, user=None):
            browser = Client()
            browser.force_login(user or self.team)
            return browser

    found = World()
    MembershipFactory(user=found.team, mission=found.mission, role=MissionMembership.ROLE_TEAM)
    return found


@pytest.mark.django_db
def test_the_team_publishes_its_response_with_suppressed_counts(world):
    c = world.consultation
    for n in range(3):
        respond(c, {AGREE: "Agree", WHY: f"Reason {n}"})
    url = c.url + "response/"
    assert Client().get(url).status_code == 404
    edit = world.client().post(url + "edit/", {"introduction": "Thank you.", f"summary-{AGREE}": "Most agreed.",
                                               f"decision-{AGREE}": "We will set the target.", "action": "publish"})
    assert edit.status_code == 302
    assert GovernmentResponse.objects.get(consultation=c).published_at is not None
    page = Client().get(url).content.decode()
    assert "Most agreed." in page and "We will set the target." in page
    assert "fewer than 5" in page and "Do you agree with the proposed target?" in page
    assert 'data-response-link' in Client().get(c.url).content.decode()
    ledger = Client().get(f"/missions/{world.mission.slug}/you-said-we-did/")
    assert ledger.status_code == 200
    assert f'data-ledger-consultation="{c.pk}"' in ledger.content.decode()


@pytest.mark.django_db
def test_only_the_team_writes_the_response(world):
    c = world.consultation
    stranger = UserFactory()
    assert world.client(stranger).get(c.url + "response/edit/").status_code == 403
    assert world.client(stranger).post(c.url + "response/edit/", {"action": "publish"}).status_code == 403
    assert not GovernmentResponse.objects.filter(consultation=c).exists()
    with pytest.raises(Refused):
        publishing.save_response(stranger, c, "", {}, publish=True)


@pytest.mark.django_db
def test_only_allowed_and_approved_responses_are_published_with_the_right_name(world):
    c = world.consultation
    org = OrganisationFactory(name="Tidal Kites Ltd")
    person = UserFactory()
    by_org = respond(c, {WHY: "Org words."}, Response.PUBLISH_NAME, organisation=org)
    by_person = respond(c, {WHY: "Person words."}, Response.PUBLISH_NAME, user=person)
    anonymous = respond(c, {WHY: "Anonymous words."}, Response.PUBLISH_ANONYMOUS)
    private = respond(c, {WHY: "Private words."}, Response.PUBLISH_NONE)
    url = c.url + "responses/"
    assert "Org words." not in Client().get(url).content.decode()  # not yet moderated
    for r in (by_org, by_person, anonymous):
        publishing.moderate_response(world.team, c, r.pk, "approve")
    with pytest.raises(Refused):
        publishing.moderate_response(world.team, c, private.pk, "approve")
    page = Client().get(url).content.decode()
    assert "Org words." in page and "Tidal Kites Ltd" in page
    assert "Person words." in page and display_name(person) in page
    assert "Anonymous words." in page and "A respondent" in page
    assert "Private words." not in page
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.APPROVE).count() == 3
    api = Client().get(f"/api/v1/consultations/{c.pk}/responses").json()
    assert {r["name"] for r in api["results"]} == {"Tidal Kites Ltd", display_name(person), "A respondent"}

    # Hidden: gone from the page and the API at once; stranger may not hide.
    with pytest.raises(Refused):
        publishing.moderate_response(UserFactory(), c, by_org.pk, "hide", "Personal data")
    hidden = world.client().post(url, {"response": by_org.pk, "action": "hide", "reason": "Personal data"})
    assert hidden.status_code == 302
    assert Response.objects.get(pk=by_org.pk).visibility == Visibility.HIDDEN
    assert "Org words." not in Client().get(url).content.decode()
    api = Client().get(f"/api/v1/consultations/{c.pk}/responses").json()
    assert "Tidal Kites Ltd" not in {r["name"] for r in api["results"]}
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.HIDE, object_id=by_org.pk).exists()


@pytest.mark.django_db
def test_public_pages_take_constant_queries(world):
    c = world.consultation
    publishing.save_response(world.team, c, "Thanks.", {AGREE: ("Heard", "Did")}, publish=True)

    def counts():
        with CaptureQueriesContext(connection) as response_page:
            assert Client().get(c.url + "response/").status_code == 200
        with CaptureQueriesContext(connection) as responses_page:
            assert Client().get(c.url + "responses/").status_code == 200
        return len(response_page), len(responses_page)

    def add(n):
        for i in range(n):
            r = respond(c, {AGREE: "Agree", WHY: f"Words {i}"}, Response.PUBLISH_ANONYMOUS,
                        organisation=OrganisationFactory())
            publishing.moderate_response(world.team, c, r.pk, "approve")

    add(2)
    counts()  # warm the caches a first visit fills
    before = counts()
    add(6)
    assert counts() == before
