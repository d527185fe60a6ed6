"""The code exchange and ID-token checks for One Login and Entra ID, on
allauth's OpenID Connect adapter (allauth.socialaccount.providers.openid_connect)."""

import functools

import jwt

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404
from django.urls import reverse

from . import tokens
from .errors import SignInRefused

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class PrivateKeyJWTClient(OAuth2Client):
    """Authenticates at the token endpoint with a signed assertion
    (`private_key_jwt`) instead of a client secret."""

    def __init__(self, *args, private_key, key_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.private_key = private_key
        self.key_id = key_id

    def get_access_token(self, code, pkce_code_verifier=None, extra_data=None):
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.callback_url,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": tokens.client_assertion(
                client_id=self.consumer_key,
                token_url=self.access_token_url,
                private_key=self.private_key,
                key_id=self.key_id,
            ),
        }
        if pkce_code_verifier:
            data["code_verifier"] = pkce_code_verifier
        with get_adapter().get_requests_session() as session:
            response = session.post(self.access_token_url, data=data)
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code != 200 or "access_token" not in answer:
            raise OAuth2Error(f"Error retrieving access token: {response.status_code} {response.content[:300]!r}")
        return answer


class _Adapter(OpenIDConnectOAuth2Adapter):
    """Ours are providers of their own (their own URLs), so the adapter
    knows its provider id; the callback view hands it the stashed state."""

    provider_id = None
    state = None

    def __init__(self, request):
        super().__init__(request, self.provider_id)

    def get_callback_url(self, request, app):
        return build_absolute_uri(request, reverse(f"{self.provider_id}_callback"), self.redirect_uri_protocol)

    @property
    def openid_config(self):
        try:
            return super().openid_config
        except ValueError:
            raise OAuth2Error("The discovery document is not JSON") from None

    def _jwks(self):
        with get_adapter().get_requests_session() as session:
            response = session.get(self.openid_config["jwks_uri"])
            response.raise_for_status()
            return response.json()

    def _check_scope(self, answer):
        granted = set(str(answer.get("scope") or "").split())
        allowed = set(self.get_provider().allowed_scopes or granted)
        if granted - allowed:
            raise SignInRefused(
                f"{self.get_provider().name} granted access we did not ask for ({', '.join(sorted(granted - allowed))}). "
                "Nothing was saved."
            )

    def _nonce(self):
        return (self.state or {}).get("nonce")


class OneLoginAdapter(_Adapter):
    provider_id = "govuk_one_login"

    def get_client(self, request, app):
        return PrivateKeyJWTClient(
            self.request,
            app.client_id,
            "",
            self.access_token_method,
            self.access_token_url,
            self.get_callback_url(request, app),
            scope_delimiter=self.scope_delimiter,
            private_key=app.settings["private_key"],
            key_id=app.settings.get("private_key_id"),
        )

    def complete_login(self, request, app, token, **kwargs):
        provider = self.get_provider()
        answer = kwargs["response"]
        self._check_scope(answer)
        if not answer.get("id_token"):
            raise SignInRefused(f"{provider.name} sent no ID token. Nothing was saved.")
        claims = tokens.verify_id_token(
            answer["id_token"],
            jwks=self._jwks(),
            algorithms=["ES256"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            nonce=self._nonce(),
            name=provider.name,
        )
        asked = (self.state or {}).get("vtr") or provider.vtr
        if claims.get("vot") not in asked:
            raise SignInRefused(
                f"{provider.name} confirmed your identity to level {claims.get('vot') or 'none'}, "
                f"but this site needs {' or '.join(asked)}. Nothing was saved."
            )
        userinfo = self._fetch_user_info(token.token)
        if userinfo.get("sub") != claims["sub"]:
            raise SignInRefused(f"{provider.name}'s user information is for someone else. Nothing was saved.")
        return provider.sociallogin_from_response(request, {"id_token": claims, "userinfo": userinfo})


class EntraAdapter(_Adapter):
    provider_id = "entra_id"

    def complete_login(self, request, app, token, **kwargs):
        provider = self.get_provider()
        answer = kwargs["response"]
        if not answer.get("id_token"):
            raise SignInRefused(f"{provider.name} sent no ID token. Nothing was saved.")
        try:
            tid = jwt.decode(answer["id_token"], options={"verify_signature": False}).get("tid")
        except Exception:
            tid = None
        if not tid or tid not in provider.tenants:
            raise SignInRefused(
                f"Your {provider.name} organisation is not one that can sign in here. Nothing was saved."
            )
        claims = tokens.verify_id_token(
            answer["id_token"],
            jwks=self._jwks(),
            algorithms=["RS256", "ES256"],
            issuer=self.openid_config["issuer"].replace("{tenantid}", tid),
            audience=app.client_id,
            nonce=self._nonce(),
            name=provider.name,
        )
        if not claims.get("oid") or claims.get("tid") != tid:
            raise SignInRefused(f"{provider.name} did not say who you are (no oid). Nothing was saved.")
        return provider.sociallogin_from_response(request, {"id_token": claims})


class CallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response


def views_for(adapter_class):
    """The login and callback views; 404 while the provider is not configured."""
    login_view = OAuth2LoginView.adapter_view(adapter_class)
    callback_view = CallbackView.adapter_view(adapter_class)

    def guarded(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except SocialApp.DoesNotExist:
                raise Http404("Single sign-on is not set up.") from None

        return wrapper

    return guarded(login_view), guarded(callback_view)
