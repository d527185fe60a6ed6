"""Bad input at sign-up and with confirmation links: a clear message, and
nothing half-created (issue #16, item 7)."""

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from people.models import Profile

GOOD = {"display_name": "Sam Newcomer", "email": "sam@example.org",
        "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"}


def visitor():
    """A client from an address of its own: allauth's sign-up limit counts per
    address, in the default cache that Redis keeps between tests."""
    return Client(REMOTE_ADDR=f"10.{uuid.uuid4().int % 250 + 1}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}")


def _nothing_stored():
    assert not get_user_model().objects.filter(email__iexact="sam@example.org").exists()
    assert not EmailAddress.objects.filter(email__iexact="sam@example.org").exists()
    assert not Profile.objects.filter(display_name="Sam Newcomer").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("change, message", [
    ({"email": "not-an-email"}, "Enter a valid email address."),
    ({"email": ""}, "This field is required."),
    ({"password1": "password", "password2": "password"}, "This password is too common."),
    ({"password1": "12345678901", "password2": "12345678901"}, "This password is entirely numeric."),
    ({"password1": "short", "password2": "short"}, "This password is too short."),
    ({"password2": "something-else-entirely"}, "You must type the same password each time."),
    ({"display_name": "www.spam.example"}, "Your display name cannot contain a web or email address."),
])
def test_bad_sign_ups_say_what_is_wrong_and_store_nothing(site, change, message):
    response = visitor().post("/accounts/signup/", {**GOOD, **change})
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    _nothing_stored()


def _confirmation_link(client, email):
    # An address of the test's own: allauth sends one confirmation per address every few minutes.
    assert client.post("/accounts/signup/", {**GOOD, "email": email}).status_code == 302
    [message] = [m for m in mail.outbox if m.to == [email]]
    return re.search(r"/accounts/confirm-email/[^/\s]+/", message.body).group(0)


@pytest.mark.django_db
def test_a_used_confirmation_link_says_so(site):
    client = visitor()
    link = _confirmation_link(client, "used@example.org")
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="used@example.org").verified
    again = visitor().get(link)
    assert "has expired or has already been used" in again.content.decode()


@pytest.mark.django_db
def test_an_expired_confirmation_link_says_so_and_confirms_nothing(site):
    from allauth.account import app_settings

    client = visitor()
    link = _confirmation_link(client, "late@example.org")
    with pytest.MonkeyPatch.context() as patch:
        # The link is signed with the time it was sent (django.core.signing); read it days later.
        import time as real_time
        from types import SimpleNamespace

        later = real_time.time() + (app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS + 1) * 86400
        patch.setattr("django.core.signing.time", SimpleNamespace(time=lambda: later))
        page = visitor().get(link)
        assert "has expired or has already been used" in page.content.decode()
        visitor().post(link)
    assert not EmailAddress.objects.get(email="late@example.org").verified
