"""Sign-in settings beyond allauth's account basics (base.py): whether
contributing needs a confirmed email, and optional single sign-on with
OpenID Connect (cms/sso/). Everything comes from the environment; with no
SSO_* variable set there is no single sign-on and no button for it.

Imported at the end of base.py."""

import json
import os

from django.core.exceptions import ImproperlyConfigured


def _bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


def _secret(env, name):
    """NAME, or the contents of the file NAME_FILE names (for keys)."""
    path = env.get(f"{name}_FILE", "").strip()
    if path:
        with open(path) as handle:
            return handle.read()
    return env.get(name, "").replace("\\n", "\n").strip()


# --- Confirmed email before contributing ---------------------------------------
# On everywhere unless switched off: a signed-in person whose addresses are
# all unconfirmed cannot submit, comment or vote (ideas/rules.py) and is told
# how to get a new link.
CONTRIBUTE_REQUIRES_VERIFIED_EMAIL = _bool("CONTRIBUTE_REQUIRES_VERIFIED_EMAIL", True)

# --- Single sign-on --------------------------------------------------------------
SSO_USER_AGENT = os.environ.get("SSO_USER_AGENT") or (
    f"MissionCommons/1.0 (+{os.environ.get('SITE_URL', 'http://127.0.0.1:8000').rstrip('/')})"
)
SOCIALACCOUNT_ADAPTER = "cms.sso.adapter.SocialAccountAdapter"
# A provider's account is found by its own id (One Login's sub, Entra's
# tid:oid), never by matching an email to a local account.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the sign-in buttons are forms (POST)
SOCIALACCOUNT_REQUESTS_TIMEOUT = int(os.environ.get("SSO_TIMEOUT_SECONDS") or 10)

ONE_LOGIN_SCOPES = {"openid", "email"}



def sso_providers(env):
    """allauth's SOCIALACCOUNT_PROVIDERS from SSO_* variables (README,
    "Single sign-on"); {} when none is set."""
    providers = {}
    if env.get("SSO_ONE_LOGIN_CLIENT_ID"):
        _key = _secret(env, "SSO_ONE_LOGIN_PRIVATE_KEY")
        if not _key:
            raise ImproperlyConfigured("SSO_ONE_LOGIN_CLIENT_ID is set but SSO_ONE_LOGIN_PRIVATE_KEY(_FILE) is not.")
        _scopes = env.get("SSO_ONE_LOGIN_SCOPES", "openid email").replace(",", " ").split()
        if not set(_scopes) <= ONE_LOGIN_SCOPES or "openid" not in _scopes:
            raise ImproperlyConfigured("SSO_ONE_LOGIN_SCOPES may only be 'openid email' (openid required).")
        _vtr = env.get("SSO_ONE_LOGIN_VTR", '["Cl.Cm"]').strip()
        _vtr = json.loads(_vtr) if _vtr.startswith("[") else [_vtr]
        providers["govuk_one_login"] = {
            "APPS": [{
                "client_id": env["SSO_ONE_LOGIN_CLIENT_ID"],
                "secret": "",
                "settings": {
                    "server_url": env.get("SSO_ONE_LOGIN_URL", "https://oidc.integration.account.gov.uk").rstrip("/"),
                    "private_key": _key,
                    "private_key_id": env.get("SSO_ONE_LOGIN_PRIVATE_KEY_ID", ""),
                    "scope": _scopes,
                    "vtr": _vtr,
                    "fetch_userinfo": True,
                },
            }],
        }

    if env.get("SSO_ENTRA_CLIENT_ID"):
        _tenants = [t.strip() for t in env.get("SSO_ENTRA_TENANT_ID", "").split(",") if t.strip()]
        if not _tenants or not env.get("SSO_ENTRA_CLIENT_SECRET"):
            raise ImproperlyConfigured("SSO_ENTRA_CLIENT_ID needs SSO_ENTRA_CLIENT_SECRET and SSO_ENTRA_TENANT_ID.")
        _authority = env.get("SSO_ENTRA_AUTHORITY", "https://login.microsoftonline.com").rstrip("/")
        providers["entra_id"] = {
            "APPS": [{
                "client_id": env["SSO_ENTRA_CLIENT_ID"],
                "secret": env["SSO_ENTRA_CLIENT_SECRET"],
                "settings": {
                    # One tenant: its own issuer; several: "organizations", and
                    # each token's issuer must be that of its tid, one of these.
                    "server_url": f"{_authority}/{_tenants[0] if len(_tenants) == 1 else 'organizations'}/v2.0",
                    "tenants": _tenants,
                    "token_auth_method": "client_secret_post",
                    "fetch_userinfo": False,
                    "button_name": env.get("SSO_ENTRA_BUTTON_NAME", "Microsoft Entra ID (civil servants)"),
                    "trust_email": env.get("SSO_ENTRA_TRUST_EMAIL", "").strip().lower() in {"1", "true", "yes", "on"},
                },
            }],
        }
    return providers


SOCIALACCOUNT_PROVIDERS = sso_providers(os.environ)
