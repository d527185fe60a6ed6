"""Sign-in limits protect the person without locking them out, and sign-up
does not say whether an email is registered (cms/accounts.py, cms/forms.py).

allauth keeps its counters in the default cache (Redis when REDIS_URL is set,
not emptied between tests), so every test signs in from addresses of its own."""

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

PASSWORD = "a-long-pass-phrase-9"


def address():
    """A client address no other test (or earlier run) has used."""
    n = uuid.uuid4().int
    return f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{(n >> 16) % 250 + 1}"


def visitor():
    return Client(REMOTE_ADDR=address())


def sign_in(client, login, password=PASSWORD):
    return client.post("/accounts/login/", {"login": login, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def owner(site):
    email = f"alex-{uuid.uuid4().hex[:8]}@example.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


@pytest.fixture
def three_strikes(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/m/ip,3/5m/key"}


@pytest.mark.django_db
def test_a_strangers_wrong_passwords_do_not_lock_the_owner_out_from_elsewhere(owner, three_strikes):
    stranger = visitor()
    for _ in range(3):
        assert sign_in(stranger, owner.email, "guess").status_code == 200
    refused = sign_in(stranger, owner.email)  # even the right password, from there
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 300
    html = refused.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert f'value="{owner.email}"' in html
    assert not signed_in(stranger)

    at_home = visitor()
    assert sign_in(at_home, owner.email).status_code == 302
    assert signed_in(at_home)


@pytest.mark.django_db
def test_every_spelling_of_the_email_counts_together_and_is_locked_together(owner, three_strikes):
    client = visitor()
    spellings = [owner.email.upper(), f"  {owner.email} ", owner.email.capitalize() + " "]
    for spelling in spellings:
        assert sign_in(client, spelling, "guess").status_code == 200
    for spelling in [owner.email, owner.email.upper()]:
        refused = sign_in(client, spelling)
        assert refused.status_code == 429 and "Retry-After" in refused
    assert not signed_in(client)


@pytest.mark.django_db
def test_signing_in_clears_the_failures_from_that_address(owner, three_strikes):
    client = visitor()
    for _ in range(2):
        sign_in(client, owner.email, "guess")
    assert sign_in(client, owner.email).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(2):  # without the clearing, the second of these is refused
        assert sign_in(client, owner.email, "guess").status_code == 200
    assert sign_in(client, owner.email.upper()).status_code == 302


@pytest.mark.django_db
def test_an_email_stored_with_capitals_signs_in_whatever_the_case(site):
    get_user_model().objects.create_user(username="admin", email="Sam.Admin@Example.org", password=PASSWORD)
    client = visitor()
    assert sign_in(client, " sam.admin@example.org").status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_people_can_sign_in_when_the_counters_cannot_be_read(owner, monkeypatch):
    from allauth.core.internal import ratelimit

    class Unreachable:
        """As cms.cache.ResilientRedisCache answers while Redis is down."""

        def add(self, *args, **kwargs):
            return False

        def get(self, *args, **kwargs):
            return None

        def set(self, *args, **kwargs):
            return None

        def delete(self, *args, **kwargs):
            return False

    monkeypatch.setattr(ratelimit, "cache", Unreachable())
    monkeypatch.setattr("cms.accounts.cache", Unreachable())
    monkeypatch.setattr(ratelimit, "CACHE_LOCK_WAIT_TIMEOUT", 0)
    client = visitor()
    assert sign_in(client, owner.email).status_code == 302


def _page(response):
    """What the visitor sees, less the per-response nonce and CSRF token."""
    html = response.content.decode()
    return re.sub(r'(nonce|value)="[^"]*"', "", html)


@pytest.mark.django_db
def test_sign_up_with_a_registered_email_looks_the_same_and_stores_nothing(owner):
    new_email = f"new-{uuid.uuid4().hex[:8]}@example.org"
    fresh = visitor()
    first = fresh.post("/accounts/signup/", {"email": new_email, "password1": PASSWORD, "password2": PASSWORD})
    users, addresses = get_user_model().objects.count(), EmailAddress.objects.count()
    assert get_user_model().objects.filter(email=new_email).exists()
    mail.outbox.clear()

    taken = owner.email.upper()
    prober = visitor()
    second = prober.post("/accounts/signup/", {"email": taken, "password1": PASSWORD, "password2": PASSWORD})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert not signed_in(fresh) and not signed_in(prober)
    first_page, second_page = fresh.get(first["Location"]), prober.get(second["Location"])
    assert first_page.status_code == second_page.status_code == 200
    assert _page(first_page).replace(new_email, "EMAIL") == _page(second_page).replace(taken.lower(), "EMAIL")
    assert "already" not in second_page.content.decode()
    assert (get_user_model().objects.count(), EmailAddress.objects.count()) == (users, addresses)
    assert [m.to for m in mail.outbox] == [[owner.email]]  # the owner is told someone tried
