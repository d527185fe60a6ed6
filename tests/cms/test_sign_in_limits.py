"""A workshop on one connection gets in; one address cannot try passwords or
create accounts without end; the owner's right password is never refused
because of others' failures (cms/accounts.py, cms/forms.py, the limits in
cms/settings/base.py ACCOUNT_RATE_LIMITS, as configured: no overrides here).

Each test uses addresses of its own, so no count carries from one to another."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from cms.accounts import account_limits

from ..factories import UserFactory
from .test_accounts import PASSWORD, address, sign_in, signed_in

WORKSHOP = 20


def configured(action, per="ip"):
    """The smallest amount of the configured limits of ``action`` per ``per``."""
    return min(int(rate.split("/")[0]) for scope, rate in account_limits(action).items() if scope.startswith(per))


def person():
    return UserFactory(standing=True, password=PASSWORD)


def sign_up(client, email, password2=PASSWORD):
    data = {"display_name": "Workshop Participant", "email": email, "password1": PASSWORD, "password2": password2}
    return client.post("/accounts/signup/", data)


@pytest.mark.django_db
def test_twenty_people_on_one_connection_all_sign_up_and_sign_in(site):
    """A council workshop: everyone signs up on the room's one address (one
    mistyped confirmation each), then signs in on another computer there
    (no device cookie), after one wrong password each."""
    room = address()
    emails = [f"workshop-{n}-{uuid.uuid4().hex[:6]}@example.org" for n in range(WORKSHOP)]
    for email in emails:
        laptop = Client(REMOTE_ADDR=room)
        assert sign_up(laptop, email, password2="a-typo-in-the-second").status_code == 200
        assert sign_up(laptop, email).status_code == 302, email
    assert get_user_model().objects.filter(email__in=emails).count() == WORKSHOP
    for email in emails:
        library_computer = Client(REMOTE_ADDR=room)
        assert sign_in(library_computer, email, "a-wrong-guess").status_code == 200
        assert sign_in(library_computer, email).status_code == 302, email
        assert signed_in(library_computer)


@pytest.mark.django_db
def test_one_address_cannot_create_accounts_without_end(site):
    client = Client(REMOTE_ADDR=address())
    allowed = configured("signup_attempt")
    for n in range(allowed):  # every attempt counts, even one the form refuses
        assert sign_up(client, f"n{n}@example.org", password2="different").status_code == 200
    email = f"one-more-{uuid.uuid4().hex[:6]}@example.org"
    refused = sign_up(client, email)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert "You have done this too often" in html and f'value="{email}"' in html
    assert not get_user_model().objects.filter(email=email).exists()


@pytest.mark.django_db
def test_one_address_cannot_try_passwords_without_end(site):
    """Password spraying: one guess at each of many accounts from one address."""
    client = Client(REMOTE_ADDR=address())
    allowed = configured("login_failed")
    for n in range(allowed):
        assert sign_in(client, f"target-{n}@example.org", "Summer2024!").status_code == 200
    refused = sign_in(client, "one-more-target@example.org", "Summer2024!")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed sign-in attempts from your connection" in refused.content.decode()


@pytest.mark.django_db
def test_the_owners_right_password_gets_in_whatever_others_at_the_address_did(site):
    room = address()
    owner = person()
    own_laptop = Client(REMOTE_ADDR=room)
    assert sign_in(own_laptop, owner.email).status_code == 302  # signed in here before
    own_laptop.post("/accounts/logout/")
    assert not signed_in(own_laptop)

    # Someone else in the room guesses at every account, the owner's included,
    # until the address and the owner's email from it are both refused.
    stranger = Client(REMOTE_ADDR=room)
    for n in range(configured("login_failed")):
        sign_in(stranger, owner.email if n % 2 else f"target-{n}@example.org", "Summer2024!")
    assert sign_in(stranger, owner.email).status_code == 429  # even the right password, from their browser
    assert not signed_in(stranger)

    assert sign_in(own_laptop, owner.email.upper()).status_code == 302
    assert signed_in(own_laptop)


@pytest.mark.django_db
def test_the_owners_browser_is_still_limited_on_wrong_passwords(site):
    owner = person()
    browser = Client(REMOTE_ADDR=address())
    assert sign_in(browser, owner.email).status_code == 302
    browser.post("/accounts/logout/")
    for _ in range(configured("login_failed", per="key")):
        assert sign_in(browser, owner.email, "guess").status_code == 200
    refused = sign_in(browser, owner.email)
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts for this email address" in refused.content.decode()


@pytest.mark.django_db
def test_a_device_cookie_cannot_be_made_or_moved_to_another_account(site):
    room = address()
    owner, other = person(), person()
    # The stranger's own account's cookie, and a hand-made one, for the owner's email.
    stranger = Client(REMOTE_ADDR=room)
    assert sign_in(stranger, other.email).status_code == 302
    stranger.post("/accounts/logout/")
    for n in range(configured("login_failed")):
        sign_in(stranger, f"target-{n}@example.org", "guess")
    assert sign_in(stranger, owner.email).status_code == 429
    forged = Client(REMOTE_ADDR=room)
    forged.cookies["mc_device"] = "0" * 32 + ":" + "1" * 16
    assert sign_in(forged, owner.email).status_code == 429
    assert not signed_in(stranger) and not signed_in(forged)


@pytest.mark.django_db
def test_a_forwarded_for_header_does_not_change_the_address_counted(site, settings):
    """Django counts REMOTE_ADDR, which only the server sets (behind the
    proxy, uvicorn sets it from the proxy's header: docker/nginx.conf); a
    header the client writes changes nothing."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/h/ip,5/5m/key"}
    client = Client(REMOTE_ADDR=address())
    for n in range(3):
        spoofed = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}", "HTTP_X_REAL_IP": f"198.51.100.{n}"}
        assert client.post("/accounts/login/", {"login": f"t{n}@example.org", "password": "x"}, **spoofed).status_code == 200
    refused = client.post("/accounts/login/", {"login": "t9@example.org", "password": "x"},
                          HTTP_X_FORWARDED_FOR="203.0.113.99", HTTP_X_REAL_IP="198.51.100.99")
    assert refused.status_code == 429


@pytest.mark.django_db
def test_a_new_browser_at_a_refused_address_gets_in_through_a_password_reset(site):
    """The one case the device cookie cannot cover: a first sign-in on a new
    browser where someone has just failed too often. The refusal offers a
    password reset; following its link signs the owner in, and that browser
    is then theirs whatever the address's count."""
    room = address()
    owner = person()
    stranger = Client(REMOTE_ADDR=room)
    for n in range(configured("login_failed")):
        sign_in(stranger, f"target-{n}@example.org", "guess")
    new_browser = Client(REMOTE_ADDR=room)
    refused = sign_in(new_browser, owner.email)
    assert refused.status_code == 429 and "reset your password" in refused.content.decode()

    mail.outbox.clear()
    assert new_browser.post("/accounts/password/reset/", {"email": owner.email}).status_code == 302
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form = new_browser.get(link, follow=True)
    assert form.status_code == 200
    new_password = "another-long-pass-phrase-7"
    reset = new_browser.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                             {"password1": new_password, "password2": new_password})
    assert reset.status_code == 302 and signed_in(new_browser)
    new_browser.post("/accounts/logout/")
    assert sign_in(new_browser, owner.email, new_password).status_code == 302
