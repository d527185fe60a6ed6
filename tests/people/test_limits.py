"""Limits on adding organisations, sending invitations and downloading
one's data: 429 with Retry-After and a message saying what to do, what was
typed kept and nothing stored. And the names in an invitation email are
words, never links."""

import re

import pytest
from django.core import mail

from people import services
from people.models import Invitation, Organisation

from ..factories import OrganisationFactory, UserFactory

ORG = {"name": "Kestrel Solar", "type": "business", "size": "small", "region": "london"}


@pytest.mark.django_db
def test_adding_organisations_is_limited_per_person(client, user, settings):
    settings.RATE_LIMITS = {"organisation": {"user": "1/h"}}
    client.force_login(user)
    assert client.post("/organisations/new/", ORG).status_code == 302
    again = client.post("/organisations/new/", {**ORG, "name": "Second Solar"})
    assert again.status_code == 429 and 1 <= int(again["Retry-After"]) <= 3600
    html = again.content.decode()
    assert "You have done this too often" in html and 'value="Second Solar"' in html
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Kestrel Solar"]


def _invite(client, org, email):
    return client.post(f"/organisations/{org.slug}/members/", {"email": email})


@pytest.mark.django_db
def test_invitations_are_limited_per_address_whoever_sends_them(client, settings):
    settings.RATE_LIMITS = {"invitation": {"recipient": "1/d"}}
    first, second = OrganisationFactory(), OrganisationFactory()
    client.force_login(first.memberships.get().user)
    assert _invite(client, first, "sam@example.org").status_code == 302
    client.force_login(second.memberships.get().user)
    again = _invite(client, second, "SAM@Example.org")  # the same address, spelled otherwise
    assert again.status_code == 429 and "Retry-After" in again
    html = again.content.decode()
    assert "Too many invitations have been sent to this address today" in html
    assert 'value="SAM@Example.org"' in html
    assert _invite(client, second, "jo@example.org").status_code == 302  # another address is fine
    assert sorted(Invitation.objects.values_list("email", flat=True)) == ["jo@example.org", "sam@example.org"]


@pytest.mark.django_db
def test_invitations_are_limited_per_organisation_and_per_sender(client, settings):
    settings.RATE_LIMITS = {"invitation": {"organisation": "1/d", "user": "2/h"}}
    admin, other_admin = UserFactory(), UserFactory()
    org = OrganisationFactory(admin=admin)
    org.memberships.create(user=other_admin, is_admin=True)
    client.force_login(admin)
    assert _invite(client, org, "a@example.org").status_code == 302
    client.force_login(other_admin)  # another admin of the same organisation
    refused = _invite(client, org, "b@example.org")
    assert refused.status_code == 429 and f"{org.name} has sent too many invitations today" in refused.content.decode()

    client.force_login(admin)  # the same sender, for other organisations
    assert _invite(client, OrganisationFactory(admin=admin), "c@example.org").status_code == 302
    refused = _invite(client, OrganisationFactory(admin=admin), "d@example.org")
    assert refused.status_code == 429 and "You have done this too often" in refused.content.decode()
    assert sorted(Invitation.objects.values_list("email", flat=True)) == ["a@example.org", "c@example.org"]


@pytest.mark.django_db
def test_an_address_is_sent_five_invitations_a_day_by_default(client, user):
    org = OrganisationFactory(admin=user)
    client.force_login(user)
    for _ in range(5):
        assert _invite(client, org, "sam@example.org").status_code == 302
    assert _invite(client, org, "sam@example.org").status_code == 429
    assert Invitation.objects.count() == 5


@pytest.mark.django_db
def test_the_data_download_is_limited(client, user, settings):
    settings.RATE_LIMITS = {"data_download": {"user": "1/h"}}
    client.force_login(user)
    assert client.get("/accounts/data/download.json").status_code == 200
    again = client.get("/accounts/data/download.json")
    assert again.status_code == 429 and "Retry-After" in again and not again.streaming
    assert "You have done this too often" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_names_in_an_invitation_email_are_never_links(user, settings):
    settings.SITE_URL = "https://missions.example.gov.uk"
    org = OrganisationFactory(admin=user, name='evil.example.com https://evil.example.com/login <b>sign in</b> "x"')
    _invitation, token = services.invite(user, org, "sam@example.org")
    message = mail.outbox[-1]
    link = f"https://missions.example.gov.uk/organisations/join/{token}/"
    linkable = re.compile(r"(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)+")
    for text in (message.subject, message.body):
        assert "evil.example.com" not in text
        assert [m for m in linkable.findall(text) if m not in link] == []
        assert "evil.example.com" in text.replace("\u200b", "")  # it still reads the same
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert re.findall(r'href="([^"]*)"', html) == [link]
    assert "<b>" not in html and "&lt;b&gt;sign in&lt;" in html
    assert [m for m in linkable.findall(re.sub(r"<[^>]*>", " ", html)) if m not in link] == []
