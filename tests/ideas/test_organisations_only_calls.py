"""Organisations-only calls say so before the form (#26 item 9): a person
none of whose organisations may submit is told at the start, on the call
page and instead of the submit form, with a link to add one; a person with
exactly one organisation the call accepts submits for it without a
pointless choice; and the call's "who may take part" uses the names people
give their organisation's type (ideas/organisations.py)."""

import re

import pytest

from cms.site_setup import SECTORS, ensure_site
from consult.models import ChallengeCallPage, Sector
from ideas.models import Idea
from ideas.organisations import SECTOR_OF_TYPE
from people.choices import OrganisationType
from tests.factories import CallFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
GOOD = {"title": "Community heat networks", "summary": "Share heat between homes.", "body": "Use waste heat."}


@pytest.fixture
def call(mission):
    return CallFactory(parent=mission, eligibility="organisations")


def _open_to(call, *slugs):
    call.sectors.set(Sector.objects.filter(slug__in=slugs))
    call.save()
    return call


def test_a_person_with_no_organisation_is_told_on_the_call_page(client, call, user):
    client.force_login(user)
    page = client.get(call.url).content.decode()
    warning = page[page.index("data-organisation-needed"):]
    assert "you are not a member of any organisation yet" in warning.split("</strong>")[0]
    assert f'href="/organisations/new/?next={call.url}submit/" data-add-organisation>add your organisation</a>' in page
    assert "ask an admin of an organisation already here to invite you" in page
    # The warning comes before the button that starts the form.
    assert page.index("data-organisation-needed") < page.index(f'href="{call.url}submit/"')


def test_the_submit_page_says_it_before_any_field_and_stores_nothing(client, call, user):
    client.force_login(user)
    response = client.get(call.url + "submit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-organisation-needed" in html and "not a member of any organisation yet" in html
    assert 'name="title"' not in html and 'name="body"' not in html  # nothing to type in vain
    refused = client.post(call.url + "submit/", {**GOOD, "confirm": "1"})
    assert refused.status_code == 400 and "not a member of any organisation yet" in refused.content.decode()
    assert not Idea.objects.exists()


def test_an_organisation_of_a_kind_the_call_does_not_take_is_no_way_in(client, call, user):
    _open_to(call, "charity")
    OrganisationFactory(name="Kestrel Solar", type=OrganisationType.BUSINESS, members=[user])
    client.force_login(user)
    for url in (call.url, call.url + "submit/"):
        html = client.get(url).content.decode()
        assert ("This call is open to organisations of these kinds: charity or social enterprise only, and none of "
                "your organisations is of these kinds.") in html
    assert 'name="title"' not in client.get(call.url + "submit/").content.decode()


def test_the_one_organisation_of_a_person_is_chosen_for_them(client, call, user):
    org = OrganisationFactory(name="Kestrel Solar", members=[user])
    client.force_login(user)
    assert "data-organisation-needed" not in client.get(call.url).content.decode()
    html = client.get(call.url + "submit/").content.decode()
    assert "You are submitting on behalf of <strong>Kestrel Solar</strong>" in html
    assert re.search(rf'<input type="hidden" name="organisation_id" value="{org.pk}"', html)
    assert "<select" not in html.split('name="organisation_id"')[0].rsplit("<div", 1)[-1]
    assert "Choose an organisation" not in html
    done = client.post(call.url + "submit/", {**GOOD, "confirm": "1", "organisation_id": str(org.pk)})
    assert done.status_code == 302
    assert Idea.objects.get().on_behalf_of == org
    # Sent without the hidden field (another client), it is still theirs.
    again = client.post(call.url + "submit/", {**GOOD, "title": "Heat pumps for flats", "body": "Shared ground loops.", "confirm": "1"})
    assert again.status_code == 302
    assert Idea.objects.get(title="Heat pumps for flats").on_behalf_of == org


def test_two_organisations_are_a_choice_of_those_the_call_takes(client, call, user):
    _open_to(call, "business", "charity")
    OrganisationFactory(name="Kestrel Solar", type=OrganisationType.BUSINESS, members=[user])
    OrganisationFactory(name="Heron Trust", type=OrganisationType.CHARITY, members=[user])
    OrganisationFactory(name="Leeds Council", type=OrganisationType.LOCAL_GOVERNMENT, members=[user])
    client.force_login(user)
    html = client.get(call.url + "submit/").content.decode()
    assert "Choose an organisation" in html and "Kestrel Solar" in html and "Heron Trust" in html
    assert "Leeds Council" not in html and "data-only-organisation" not in html


def test_the_call_names_kinds_of_organisation_as_people_name_their_type(client, call):
    ensure_site()
    # Each kind a call may be open to is named with the organisation types it admits.
    for slug, name in SECTORS:
        labels = [str(t.label) for t in OrganisationType if SECTOR_OF_TYPE[t] == slug]
        words = ", ".join([labels[0]] + [lb if lb[:2].isupper() else lb[0].lower() + lb[1:] for lb in labels[1:]])
        assert name == words
        assert Sector.objects.get(slug=slug).name == name
    _open_to(call, "public-body", "academia")
    page = client.get(call.url).content.decode()
    facts = page[page.index("data-who-takes-part>"):].split("</dd>")[0]
    assert facts == ("data-who-takes-part>Organisations of these kinds: central government, local government, "
                     "NHS or other public body, academic or research")
    choices = dict(ChallengeCallPage.ELIGIBILITY_CHOICES)
    assert "sector" not in choices["organisations"] and "types" in choices["organisations"]
    assert ChallengeCallPage._meta.get_field("sectors").verbose_name == "Types of organisation"
