"""The two providers: allauth's OpenID Connect provider, with what One Login
and Entra ID need on top (see the package docstring)."""

import json
import secrets

from allauth.account.models import EmailAddress
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.urls import reverse
from django.utils.http import urlencode

from .errors import SignInRefused
from .oauth import EntraAdapter, OneLoginAdapter

ONE_LOGIN_SCOPES = ("openid", "email")


class _Provider(OpenIDConnectProvider):
    allowed_scopes = None  # None: any the site is configured with

    # Our own URLs (cms/sso/<package>/urls.py), not allauth's /oidc/<id>/.
    def get_login_url(self, request, **kwargs):
        url = reverse(f"{self.id}_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self):
        return reverse(f"{self.id}_callback")

    def get_oauth2_adapter(self, request):
        return self.oauth2_adapter_class(request)

    def get_auth_params_from_request(self, request, action):
        """Nothing from the request's query string goes to the provider."""
        return self.get_auth_params()

    def extra_auth_params(self):
        return {}

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        """Refuse scopes we may not ask for; ask for a nonce, kept with the
        state in the session and checked on the way back."""
        scope = list(dict.fromkeys(kwargs.pop("scope", None) or self.get_scope()))
        if self.allowed_scopes is not None:
            extra = [s for s in scope if s not in self.allowed_scopes]
            if extra or "openid" not in scope:
                return render_authentication_error(
                    request,
                    self,
                    exception=SignInRefused(
                        f"{self.name} may only be asked for {' and '.join(self.allowed_scopes)}, not "
                        f"{', '.join(extra) or 'without openid'}. Nothing was sent to {self.name}."
                    ),
                )
        nonce = secrets.token_urlsafe(32)
        extra = self.extra_auth_params()
        auth_params = {**self.get_auth_params(), **kwargs.pop("auth_params", {}), **extra, "nonce": nonce}
        return super().redirect(
            request, process, next_url, data, scope=scope, auth_params=auth_params, nonce=nonce,
            **self.extra_state(), **kwargs,
        )

    def extra_state(self):
        return {}


class OneLoginProvider(_Provider):
    id = "govuk_one_login"
    name = "GOV.UK One Login"
    slug = "one-login"
    package = "cms.sso.onelogin"
    oauth2_adapter_class = OneLoginAdapter
    allowed_scopes = ONE_LOGIN_SCOPES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = OneLoginProvider.name

    def get_default_scope(self):
        return list(ONE_LOGIN_SCOPES)

    @property
    def vtr(self):
        return list(self.app.settings.get("vtr") or ["Cl.Cm"])

    def extra_auth_params(self):
        return {"vtr": json.dumps(self.vtr, separators=(",", ":")), "ui_locales": "en"}

    def extra_state(self):
        return {"vtr": self.vtr}

    def extract_uid(self, data):
        return str(data["id_token"]["sub"])

    def extract_common_fields(self, data):
        return {"email": data["userinfo"].get("email")}

    def extract_email_addresses(self, data):
        info = data["userinfo"]
        if not info.get("email"):
            return []
        return [EmailAddress(email=info["email"], verified=info.get("email_verified") is True, primary=True)]


class EntraProvider(_Provider):
    id = "entra_id"
    name = "Microsoft Entra ID"
    slug = "entra"
    package = "cms.sso.entra"
    oauth2_adapter_class = EntraAdapter

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = self.app.settings.get("button_name") or EntraProvider.name

    def get_default_scope(self):
        return ["openid", "email", "profile"]

    @property
    def tenants(self):
        return list(self.app.settings.get("tenants") or [])

    def extract_uid(self, data):
        """The person is their object id within their tenant, never their
        email (which a tenant admin can set to anything)."""
        claims = data["id_token"]
        return f"{claims['tid']}:{claims['oid']}"

    def extract_common_fields(self, data):
        claims = data["id_token"]
        return {
            "email": claims.get("email"),
            "first_name": claims.get("given_name") or "",
            "last_name": claims.get("family_name") or "",
        }

    def extract_email_addresses(self, data):
        """Entra's email claim is not verified by Microsoft: the person
        confirms it here like anyone else (unless the site says it trusts it)."""
        email = data["id_token"].get("email")
        if not email:
            return []
        return [EmailAddress(email=email, verified=bool(self.app.settings.get("trust_email")), primary=True)]


provider_classes = [OneLoginProvider, EntraProvider]
