"""Single sign-on, the whole way: our sign-in button → the stand-in identity
provider (tests/cms/oidc_idp.py, a real HTTP server signing real tokens) →
our callback → signed in. Nothing of allauth is mocked."""

import json
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from cms.settings.sso import sso_providers
from tests.cms.oidc_idp import IdentityProvider, new_ec_key, pem

CLIENT_ID = "mc-test-client"
User = get_user_model()


# --- set-up ---------------------------------------------------------------------


@pytest.fixture
def client_key():
    return new_ec_key()


@pytest.fixture
def one_login(settings, client_key, site):
    with IdentityProvider("one_login", client_id=CLIENT_ID, client_public_key=client_key.public_key()) as idp:
        idp.person = {"sub": "urn:fdc:gov.uk:2022:alex", "email": "alex@example.org", "email_verified": True}
        settings.SOCIALACCOUNT_PROVIDERS = sso_providers({
            "SSO_ONE_LOGIN_CLIENT_ID": CLIENT_ID,
            "SSO_ONE_LOGIN_PRIVATE_KEY": pem(client_key),
            "SSO_ONE_LOGIN_URL": idp.base,
        })
        yield idp


@pytest.fixture
def entra(settings, site):
    with IdentityProvider("entra", client_id=CLIENT_ID, client_secret="s3cret", tenants=["tenant-a", "tenant-b"]) as idp:
        idp.person = {"oid": "oid-1", "tid": "tenant-a", "email": "sam@dept.gov.uk", "name": "Sam Servant"}
        settings.SOCIALACCOUNT_PROVIDERS = sso_providers({
            "SSO_ENTRA_CLIENT_ID": CLIENT_ID,
            "SSO_ENTRA_CLIENT_SECRET": "s3cret",
            "SSO_ENTRA_TENANT_ID": "tenant-a,tenant-b",
            "SSO_ENTRA_AUTHORITY": idp.base,
        })
        yield idp


def start(client, button_url, **params):
    """Press the sign-in button; return where it sends the browser."""
    response = client.post(button_url, params)
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def sign_in(client, idp, button_url="/accounts/one-login/login/", **params):
    """The browser's round trip: our button, the provider's /authorize, back
    to our callback. Returns our callback's response."""
    authorize = start(client, button_url, **params)
    assert authorize.startswith(idp.base)
    back = requests.get(authorize, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlparse(back.headers["Location"])
    assert callback.netloc == "testserver"
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refused(response, text):
    page = response.content.decode()
    assert response.status_code in (400, 401), response.status_code
    assert "You could not sign in" in page
    assert text in page, page
    return page


# --- no SSO configured --------------------------------------------------------------


@pytest.mark.django_db
def test_without_sso_variables_there_are_no_buttons_and_no_sign_in_urls(site, settings):
    settings.SOCIALACCOUNT_PROVIDERS = sso_providers({})
    assert settings.SOCIALACCOUNT_PROVIDERS == {}
    page = Client().get("/accounts/login/").content.decode()
    assert "Sign in" in page and "data-sso" not in page and "Or sign in with" not in page
    assert Client().post("/accounts/one-login/login/").status_code == 404
    assert Client().get("/accounts/entra/login/callback/?code=x&state=y").status_code == 404


def test_one_login_configuration_refuses_other_scopes_and_needs_a_key():
    with pytest.raises(ImproperlyConfigured, match="openid email"):
        sso_providers({"SSO_ONE_LOGIN_CLIENT_ID": "x", "SSO_ONE_LOGIN_PRIVATE_KEY": "k",
                       "SSO_ONE_LOGIN_SCOPES": "openid email profile"})
    with pytest.raises(ImproperlyConfigured, match="PRIVATE_KEY"):
        sso_providers({"SSO_ONE_LOGIN_CLIENT_ID": "x"})
    with pytest.raises(ImproperlyConfigured, match="TENANT"):
        sso_providers({"SSO_ENTRA_CLIENT_ID": "x", "SSO_ENTRA_CLIENT_SECRET": "y"})


# --- GOV.UK One Login -------------------------------------------------------------------


@pytest.mark.django_db
def test_one_login_signs_a_new_person_in_with_everything_one_login_asks_for(one_login):
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert 'data-sso="govuk_one_login"' in page and "GOV.UK One Login" in page

    authorize = urlparse(start(client, "/accounts/one-login/login/"))
    asked = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    assert set(asked["scope"].split()) == {"openid", "email"}
    assert json.loads(asked["vtr"]) == ["Cl.Cm"]
    assert asked["nonce"] and asked["state"] and asked["client_id"] == CLIENT_ID
    assert asked["response_type"] == "code"

    response = sign_in(client, one_login)
    assert response.status_code == 302, response.content.decode()[:800]
    # One Login gives no name: a new person is asked to choose their display name first.
    assert response["Location"] == "/accounts/profile/?welcome=1"
    assert "Choose the name shown with your ideas" in client.get(response["Location"]).content.decode()
    user = signed_in_user(client)
    assert user is not None and user.email == "alex@example.org"
    assert SocialAccount.objects.get(user=user, provider="govuk_one_login").uid == "urn:fdc:gov.uk:2022:alex"
    assert EmailAddress.objects.get(user=user, email="alex@example.org").verified
    assert one_login.token_errors == []

    # private_key_jwt was used (the stand-in verified the assertion) and every
    # call to the provider said who we are.
    token_calls = [r for r in one_login.requests if r[1] == "/token"]
    assert token_calls and "client_secret" not in token_calls[-1][3]
    server_calls = [r for r in one_login.requests if r[1] != "/authorize"]  # /authorize is the browser's
    assert {r[1] for r in server_calls} >= {"/.well-known/openid-configuration", "/jwks", "/token", "/userinfo"}
    assert all(r[2].get("User-Agent", "").startswith("MissionCommons/") for r in server_calls)

    # The same person again: the same account.
    again = Client()
    assert sign_in(again, one_login).status_code == 302
    assert signed_in_user(again) == user
    assert User.objects.filter(email="alex@example.org").count() == 1


def _assert_nothing_created(client):
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_get_of_the_button_url_only_asks_to_continue(one_login):
    page = Client().get("/accounts/one-login/login/")
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Sign in with GOV.UK One Login</h1>' in page.content.decode()
    assert not [r for r in one_login.requests if r[1] == "/authorize"]


@pytest.mark.django_db
def test_one_login_wrong_nonce_is_refused(one_login):
    one_login.tamper = {"claims": {"nonce": "not-the-one-we-sent"}}
    client = Client()
    refused(sign_in(client, one_login), "its nonce differs")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_one_login_missing_nonce_is_refused(one_login):
    one_login.tamper = {"claims": {"nonce": None}}
    client = Client()
    refused(sign_in(client, one_login), "its nonce differs")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_one_login_wrong_vector_of_trust_is_refused(one_login):
    one_login.tamper = {"claims": {"vot": "Cl"}}
    client = Client()
    page = refused(sign_in(client, one_login), "confirmed your identity to level Cl")
    assert "needs Cl.Cm" in page
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_one_login_token_signed_by_another_key_is_refused(one_login):
    one_login.tamper = {"signing_key": new_ec_key()}
    client = Client()
    refused(sign_in(client, one_login), "signature is not GOV.UK One Login")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_one_login_token_not_signed_with_es256_is_refused(one_login):
    one_login.tamper = {"signing_key": "a-shared-secret-long-enough-for-hs256!!", "alg": "HS256"}
    client = Client()
    refused(sign_in(client, one_login), "not ES256")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_one_login_token_for_another_service_is_refused(one_login):
    one_login.tamper = {"claims": {"aud": "someone-else"}}
    client = Client()
    refused(sign_in(client, one_login), "meant for another service")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_one_login_token_from_another_issuer_is_refused(one_login):
    one_login.tamper = {"claims": {"iss": "https://evil.example/"}}
    client = Client()
    refused(sign_in(client, one_login), "not issued by GOV.UK One Login")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_one_login_expired_token_is_refused(one_login):
    one_login.tamper = {"claims": {"exp": 1_000_000_000, "iat": 999_999_000}}
    client = Client()
    refused(sign_in(client, one_login), "has expired")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_one_login_userinfo_for_someone_else_is_refused(one_login):
    one_login.tamper = {"userinfo_sub": "urn:fdc:gov.uk:2022:someone-else"}
    client = Client()
    refused(sign_in(client, one_login), "for someone else")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_one_login_a_scope_beyond_openid_and_email_is_refused_before_leaving(one_login):
    client = Client()
    response = client.post("/accounts/one-login/login/?scope=profile")
    refused(response, "may only be asked for openid and email, not profile")
    assert not [r for r in one_login.requests if r[1] == "/authorize"]
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_one_login_granting_more_than_asked_is_refused(one_login):
    one_login.granted_scope = "openid email phone"
    client = Client()
    refused(sign_in(client, one_login), "granted access we did not ask for (phone)")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_a_callback_replayed_or_forged_is_refused(one_login):
    client = Client()
    authorize = start(client, "/accounts/one-login/login/")
    back = urlparse(requests.get(authorize, allow_redirects=False, timeout=5).headers["Location"])
    stranger = Client()  # another browser, without the state in its session
    response = stranger.get(f"{back.path}?{back.query}")
    assert "You could not sign in" in response.content.decode()
    _assert_nothing_created(stranger)


@pytest.mark.django_db
def test_the_stand_in_refuses_a_client_that_does_not_hold_the_key(one_login, settings):
    """The assertion is really checked: signed with a key the provider does
    not know, the code exchange fails and nobody is signed in."""
    settings.SOCIALACCOUNT_PROVIDERS["govuk_one_login"]["APPS"][0]["settings"]["private_key"] = pem(new_ec_key())
    client = Client()
    response = sign_in(client, one_login)
    assert "You could not sign in" in response.content.decode()
    assert any("bad client assertion" in e for e in one_login.token_errors)
    _assert_nothing_created(client)


# --- Microsoft Entra ID -------------------------------------------------------------------


@pytest.mark.django_db
def test_entra_identifies_people_by_oid_and_tid_never_by_email(entra):
    first = Client()
    page = first.get("/accounts/login/?next=/missions/").content.decode()
    assert 'data-sso="entra_id"' in page and 'name="next" value="/missions/"' in page
    response = sign_in(first, entra, "/accounts/entra/login/", next="/missions/")
    assert response.status_code == 302, response.content.decode()[:800]
    assert response["Location"] == "/missions/"  # back where they were going
    sam = signed_in_user(first)
    account = SocialAccount.objects.get(user=sam, provider="entra_id")
    assert account.uid == "tenant-a:oid-1"
    # Entra's email claim is not taken as verified: they are sent the link.
    assert not EmailAddress.objects.get(user=sam, email="sam@dept.gov.uk").verified
    assert [m.to for m in mail.outbox] == [["sam@dept.gov.uk"]]
    token_call = [r for r in entra.requests if r[1].endswith("/token")][-1]
    assert token_call[2]["User-Agent"].startswith("MissionCommons/")
    assert entra.token_errors == []

    # Same oid and tid, a new email: the same person.
    entra.person = {**entra.person, "email": "sam.servant@newdept.gov.uk"}
    again = Client()
    assert sign_in(again, entra, "/accounts/entra/login/").status_code == 302
    assert signed_in_user(again) == sam

    # Same oid, another tenant, even the first email: someone else.
    entra.person = {"oid": "oid-1", "tid": "tenant-b", "email": "other@otherdept.gov.uk"}
    other = Client()
    assert sign_in(other, entra, "/accounts/entra/login/").status_code == 302
    stranger = signed_in_user(other)
    assert stranger is not None and stranger != sam
    assert SocialAccount.objects.get(user=stranger).uid == "tenant-b:oid-1"


@pytest.mark.django_db
def test_entra_an_unconfigured_tenant_is_refused(entra):
    entra.person = {"oid": "oid-9", "tid": "tenant-z", "email": "x@elsewhere.example"}
    client = Client()
    refused(sign_in(client, entra, "/accounts/entra/login/"), "not one that can sign in here")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_entra_a_token_claiming_another_tenants_issuer_is_refused(entra):
    entra.tamper = {"claims": {"iss": f"{entra.base}/tenant-b/v2.0"}}  # tid says tenant-a
    client = Client()
    refused(sign_in(client, entra, "/accounts/entra/login/"), "not issued by Microsoft Entra ID")
    _assert_nothing_created(client)


@pytest.mark.django_db
def test_entra_wrong_nonce_and_bad_signature_are_refused(entra):
    entra.tamper = {"claims": {"nonce": "forged"}}
    client = Client()
    refused(sign_in(client, entra, "/accounts/entra/login/"), "its nonce differs")
    from cryptography.hazmat.primitives.asymmetric import rsa

    entra.tamper = {"signing_key": rsa.generate_private_key(public_exponent=65537, key_size=2048)}
    refused(sign_in(client, entra, "/accounts/entra/login/"), "signature is not Microsoft Entra ID")
    _assert_nothing_created(client)
