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
def test_people_can_sign_in_when_the_counters_cannot_be_read(owner, monkeypatch, settings):
    class Unreachable:
        """As cms.cache.ResilientRedisCache answers while Redis is down."""

        def add(self, *args, **kwargs):
            return False

        def get(self, *args, **kwargs):
            return None

        def set(self, *args, **kwargs):
            return None

        def incr(self, *args, **kwargs):
            raise ValueError("unreachable")

        def delete(self, *args, **kwargs):
            return False

    settings.RATELIMIT_FAIL_OPEN = True
    monkeypatch.setattr("django_ratelimit.core.caches", {settings.RATELIMIT_USE_CACHE: Unreachable()})
    monkeypatch.setattr("cms.accounts.caches", {settings.RATELIMIT_USE_CACHE: Unreachable()})
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
    first = fresh.post("/accounts/signup/", {"display_name": "Sam Newcomer", "email": new_email, "password1": PASSWORD, "password2": PASSWORD})
    users, addresses = get_user_model().objects.count(), EmailAddress.objects.count()
    assert get_user_model().objects.filter(email=new_email).exists()
    mail.outbox.clear()

    taken = owner.email.upper()
    prober = visitor()
    second = prober.post("/accounts/signup/", {"display_name": "Sam Newcomer", "email": taken, "password1": PASSWORD, "password2": PASSWORD})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert not signed_in(fresh) and not signed_in(prober)
    first_page, second_page = fresh.get(first["Location"]), prober.get(second["Location"])
    assert first_page.status_code == second_page.status_code == 200
    assert _page(first_page).replace(new_email, "EMAIL") == _page(second_page).replace(taken.lower(), "EMAIL")
    assert "already" not in second_page.content.decode()
    assert (get_user_model().objects.count(), EmailAddress.objects.count()) == (users, addresses)
    assert [m.to for m in mail.outbox] == [[owner.email]]  # the owner is told someone tried


@pytest.mark.django_db
def test_sign_up_does_the_same_work_for_a_registered_and_a_new_email(owner, monkeypatch):
    """The same answer, the same page, one email each and the password hashed
    once each: skipping the hashing for a registered address made that
    sign-up measurably faster, which told a prober the address has an account."""
    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher())
    hashed = []
    original = hasher.encode
    monkeypatch.setattr(hasher, "encode", lambda self, *args, **kwargs: hashed.append(1) or original(self, *args, **kwargs))

    def sign_up(email):
        hashed.clear()
        mail.outbox.clear()
        client = visitor()
        data = {"display_name": "Sam Newcomer", "email": email, "password1": PASSWORD, "password2": PASSWORD}
        response = client.post("/accounts/signup/", data)
        page = client.get(response["Location"])
        return {"status": response.status_code, "location": response["Location"], "hashed": len(hashed),
                "page": (page.status_code, _page(page).replace(email.lower(), "EMAIL")),
                "to": [m.to for m in mail.outbox], "subjects": [m.subject for m in mail.outbox]}

    new_email = f"new-{uuid.uuid4().hex[:8]}@example.org"
    known, new = sign_up(owner.email), sign_up(new_email)
    assert known["status"] == new["status"] == 302
    assert known["location"] == new["location"]
    assert known["page"] == new["page"]
    assert known["hashed"] == new["hashed"] == 1
    assert known["to"] == [[owner.email]] and new["to"] == [[new_email]]
    assert "Confirm" in new["subjects"][0] and "Confirm" not in known["subjects"][0]  # the owner is told someone tried


# --- a confirmed email before taking part (ideas/rules.py: has_verified_email) ------


def _signed_up(client, email=None):
    """A person who signed up through the form and has not followed the link."""
    email = email or f"new-{uuid.uuid4().hex[:8]}@example.org"
    data = {"display_name": "Robin Newcomer", "email": email, "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/accounts/signup/", data).status_code == 302
    assert sign_in(client, email).status_code == 302
    return get_user_model().objects.get(email=email)


@pytest.mark.django_db
def test_an_unconfirmed_person_cannot_take_part_and_is_told_how_to_confirm(call, settings):
    from inputs.refusals import Refused
    from ideas.services import comments, submissions, votes

    from ..factories import IdeaFactory

    settings.CONTRIBUTE_REQUIRES_VERIFIED_EMAIL = True
    client = visitor()
    person = _signed_up(client)
    page = client.get(f"{call.url}submit/")
    html = page.content.decode()
    assert page.status_code == 403
    assert "Confirm your email address before you take part" in html
    assert 'href="/accounts/email/">Send the confirmation email again</a>' in html

    idea = IdeaFactory(call=call)
    for attempt in (lambda: submissions.submit_idea(person, call, title="A title", summary="s", body="b"),
                    lambda: votes.cast_vote(person, idea),
                    lambda: comments.add_comment(person, idea, "A comment")):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.code == "email_unverified" and refused.value.status == 403
        assert "<a" not in refused.value.message  # plain text for the API and flash messages
        assert "/accounts/email/" in refused.value.message

    voted = client.post(f"/ideas/{idea.pk}/vote/", {"value": "support"}, HTTP_ACCEPT="application/json")
    if voted.status_code != 404:  # the JSON refusal, where the vote URL lives here
        assert voted.status_code == 403 and voted.json()["error"]["code"] == "email_unverified"

    # Removing their only address is no way round it.
    client.post("/accounts/email/", {"email": person.email, "action_remove": ""})
    assert EmailAddress.objects.filter(user=person).exists()

    # The resend button on the email page sends a new link (at most one every
    # few minutes: allauth's "confirm_email" limit); following it lets them in.
    mail.outbox.clear()
    client.post("/accounts/email/", {"email": person.email, "action_send": ""})
    assert not mail.outbox  # the sign-up email was just sent
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    client.post("/accounts/email/", {"email": person.email, "action_send": ""})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    confirm_path = link.split("://", 1)[1].split("/", 1)[1]
    client.post(f"/{confirm_path}")
    assert EmailAddress.objects.get(user=person).verified
    person = get_user_model().objects.get(pk=person.pk)
    assert submissions.submit_idea(person, call, title="Now confirmed", summary="s", body="b").pk
    assert client.get(f"{call.url}submit/").status_code == 200


@pytest.mark.django_db
def test_the_requirement_can_be_switched_off_and_spares_admin_made_accounts(call, settings):
    from ideas.services import submissions

    from ..factories import UserFactory

    settings.CONTRIBUTE_REQUIRES_VERIFIED_EMAIL = False
    person = _signed_up(visitor())
    assert submissions.submit_idea(person, call, title="Allowed when off", summary="s", body="b").pk

    settings.CONTRIBUTE_REQUIRES_VERIFIED_EMAIL = True
    made_by_admin = UserFactory()  # no allauth email record: created by an admin or a script
    assert submissions.submit_idea(made_by_admin, call, title="Admin-made account", summary="s", body="b").pk


# --- no account enumeration ---------------------------------------------------------


@pytest.mark.django_db
def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(owner):
    known = sign_in(visitor(), owner.email, "not-the-password")
    unknown = sign_in(visitor(), f"nobody-{uuid.uuid4().hex[:6]}@example.org", "not-the-password")
    assert known.status_code == unknown.status_code == 200

    def error(response):
        return re.search(r'govuk-error-summary__list">(.*?)</ul>', response.content.decode(), re.S).group(1)

    assert error(known) == error(unknown)


@pytest.mark.django_db
def test_password_reset_looks_the_same_for_known_and_unknown_emails(owner):
    mail.outbox.clear()
    known = visitor().post("/accounts/password/reset/", {"email": owner.email})
    unknown = visitor().post("/accounts/password/reset/", {"email": f"nobody-{uuid.uuid4().hex[:6]}@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Both addresses get an email (the unknown one is told there is no account),
    # so the page says nothing a stranger could use.
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_password_reset_is_rate_limited_per_email(owner, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "20/m/ip,2/m/key"}
    client = visitor()
    for _ in range(2):
        assert client.post("/accounts/password/reset/", {"email": owner.email}).status_code == 302
    mail.outbox.clear()
    blocked = client.post("/accounts/password/reset/", {"email": owner.email})
    assert blocked.status_code in (200, 429)
    assert not mail.outbox


def test_allauths_limits_are_on():
    from django.conf import settings

    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits is not False
    for action in ("login_attempt", "signup_attempt", "login_failed", "reset_password"):
        assert limits.get(action), action
    assert settings.ACCOUNT_PREVENT_ENUMERATION is True


# --- the account pages speak like the rest of the site ------------------------------

TITLE_CASE = re.compile(r"\b(Sign In|Sign Up|Sign Out|Email Addresses|Change Password|Set Password|Password Reset|"
                        r"Add Email|Make Primary|Re-send Verification|Confirm Email Address|Forgot Password|Remember Me|"
                        r"Current Password|New Password)\b")


@pytest.mark.django_db
def test_account_pages_are_in_sentence_case_with_govuk_styles(owner):
    anonymous = visitor()
    for path, heading in [("/accounts/login/", "Sign in"), ("/accounts/signup/", "Create an account"),
                          ("/accounts/password/reset/", "Reset your password"),
                          ("/accounts/confirm-email/not-a-key/", "Confirm your email address")]:
        page = anonymous.get(path).content.decode()
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page, path
        assert not TITLE_CASE.search(page), (path, TITLE_CASE.search(page).group(0))
        assert "govuk-button" in page or "govuk-link" in page
    participant = visitor()
    assert sign_in(participant, owner.email).status_code == 302
    for path, heading in [("/accounts/email/", "Email addresses"), ("/accounts/password/change/", "Change your password"),
                          ("/accounts/logout/", "Sign out")]:
        page = participant.get(path).content.decode()
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page, path
        assert not TITLE_CASE.search(page), (path, TITLE_CASE.search(page).group(0))
