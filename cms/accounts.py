"""Sign-in and sign-up limits, written in allauth's notation
(ACCOUNT_RATE_LIMITS: "60/h/ip,5/5m/key") and counted on the counters every
other limit uses (django-ratelimit, inputs/ratelimits.py), keyed so that a
stranger cannot lock the owner of an account out. allauth's own counters are
not read: their format is allauth's internal business, and the time until a
limit frees up (Retry-After, "please wait 4 minutes") is not in its public API.

allauth counts failed sign-ins per IP address and per email address
("login_failed"). Per email alone, a stranger's wrong passwords from one
address would lock the real owner out from every address. Here the "key" is
the normalised email *and* the address it is tried from, so the owner signing
in from elsewhere is not affected, every spelling of the email ('Alex@Example.org '
and 'alex@example.org') counts together, and signing in clears that pair's
count. A refusal is a form error (what was typed stays) and the response a 429
with Retry-After (cms/middleware.py reads ``request.rate_limited``).

The limits per address are sized for a workshop on one connection (a
council meeting room, a library): twenty people signing up and signing in
within the hour, typos included, stay well inside them. An address over its
limit of failed sign-ins (someone there guessing passwords) would still
refuse everyone there; so a browser that has signed in to an account before
carries a signed cookie saying so (the "device" cookie), and its sign-ins to
that account are counted on their own: failures per (account, that browser),
never the address's. A stranger cannot make one (it is signed with
SECRET_KEY and given only on signing in), so the owner at a shared address
signs in with the right password whatever others there did; the account's
own limit still binds anyone guessing from that browser.

If the counters cannot be read (Redis down), people are let through rather
than all told "too many attempts" (RATELIMIT_FAIL_OPEN)."""

import hashlib
import hmac
import secrets

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.dispatch import receiver
from django.db.models import Exists, OuterRef
from django.urls import reverse

from inputs import ratelimits
from inputs.ratelimits import wait_text

DEVICE_COOKIE = settings.DEVICE_COOKIE_NAME
DEVICE_SALT = "cms.accounts.device"
DEVICE_MAX_AGE = settings.DEVICE_COOKIE_AGE


def _login_digest(email):
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]


def trusted_device(request, email):
    """The browser's own id if its device cookie was given for ``email``
    (any spelling), else None. The cookie holds a digest of the email, never
    the email itself (a shared computer)."""
    if request is None or not email:
        return None
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    digest, _, device = (value or "").partition(":")
    if device and hmac.compare_digest(digest, _login_digest(email)):
        return device
    return None


def remember_device(request, response):
    """Give the browser that just signed in its device cookie (set by
    AccountAdapter.login; cms/middleware.py calls this on the way out)."""
    email = getattr(request, "_device_email", None)
    if email:
        response.set_signed_cookie(
            DEVICE_COOKIE, f"{_login_digest(email)}:{secrets.token_hex(8)}", salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
        )
    return response


def account_limits(action):
    """{scope: rate} of `action` as ACCOUNT_RATE_LIMITS writes it, in allauth's
    notation ("60/h/ip,200/d/ip,5/5m/key": amount/period/per), for
    inputs.ratelimits: "ip.N" scopes count the address, "key.N" the key the
    caller gives. Per-key limits come first, so a refusal names the email
    address when its own limit is the one that is full."""
    scopes = {}
    for n, part in enumerate(p.strip() for p in (settings.ACCOUNT_RATE_LIMITS.get(action) or "").split(",")):
        if part:
            amount, _, rest = part.partition("/")
            period, _, per = rest.partition("/")
            scopes[f"{per or 'ip'}.{n}"] = f"{amount}/{period}"
    return dict(sorted(scopes.items(), key=lambda item: not item[0].startswith("key")))


def limit(request, action, key=None, only_key=False):
    """Count one attempt at ``action`` against each of its limits (those per
    key only, with ``only_key``); return (scope, seconds to wait) if one is
    full, else None. A refusal marks the request, so the response becomes a
    429 with Retry-After."""
    scopes = account_limits(action)
    if only_key:
        scopes = {scope: rate for scope, rate in scopes.items() if scope.startswith("key")}
    keyed = {scope: key for scope in scopes if scope.startswith("key")}
    if key is None:
        scopes = {scope: rate for scope, rate in scopes.items() if scope not in keyed}
    return ratelimits.consume(request, action, {action: scopes}, keys=keyed if key is not None else None)


def wait_for(refused):
    return refused[1] if refused else None


# Signing in clears a (email, address or browser) pair's failures and a
# password reset clears every pair of that email: django-ratelimit has no
# "clear", so the key carries a generation that these move on.
def _generations():
    return caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]


def _generation(name):
    try:
        return _generations().get(f"mc.login.generation:{name}") or "0"
    except Exception:  # counters unreadable: the same key as before
        return "0"


def _next_generation(name):
    try:
        _generations().set(f"mc.login.generation:{name}", secrets.token_hex(4), timeout=DEVICE_MAX_AGE)
    except Exception:
        pass


def failed_sign_in_key(request, email):
    """The key of failed sign-ins to ``email`` (any spelling) from this
    browser, if it signed in to that account before, else from this address."""
    digest = _login_digest(email)
    device = trusted_device(request, email)
    where = f"device:{device}" if device else f"ip:{request.META.get('REMOTE_ADDR') or 'none'}"
    pair = f"{digest}:{where}"
    return f"{pair}:{_generation(digest)}:{_generation(pair)}", pair


@receiver(password_reset)
def _forget_failures_on_reset(sender, request, user, **kwargs):
    """A reset proves the owner: every count of failures to their email goes."""
    if user.email:
        _next_generation(_login_digest(user.email))


def too_often(wait):
    return f"You have done this too often. Please wait {wait_text(wait)} and try again."


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        """A person new through single sign-on has not chosen a display name
        (One Login gives an email only; the sign-up form, which asks for one,
        was skipped), so their first stop is their profile, which asks."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.socialaccount_set.exists():
            return reverse("people:profile_edit") + "?welcome=1"
        return super().get_signup_redirect_url(request)

    def login(self, request, user):
        super().login(request, user)
        if request is not None and user.email:
            request._device_email = user.email

    def pre_authenticate(self, request, **credentials):
        """Count this attempt against "login_failed" before the password is
        checked (so guesses sent at once are all counted) and take it back
        on success (authenticate). From a browser that signed in to this
        account before only the account's own limit applies; elsewhere the
        address's too."""
        email = credentials.get("email") or credentials.get("username") or ""
        if request is None or not email:
            return None
        key, _pair = failed_sign_in_key(request, email)
        refused = limit(request, "login_failed", key, only_key=bool(trusted_device(request, email)))
        if refused:
            scope, wait = refused
            where = "for this email address from your connection" if scope.startswith("key") else "from your connection"
            raise forms.ValidationError(
                f"Too many failed sign-in attempts {where}. "
                f"Please wait {wait_text(wait)} and try again, or reset your password.",
                code="too_many_login_attempts",
            )
        return None

    def authenticate(self, request, **credentials):
        """On success, forget this address's (or browser's) failures for this
        email. The per-address count (all emails) stays: clearing it would let
        someone sign in to their own account between guesses at others'."""
        user = super().authenticate(request, **credentials)
        email = credentials.get("email") or credentials.get("username") or ""
        if user is not None and request is not None and email:
            _key, pair = failed_sign_in_key(request, email)
            _next_generation(pair)
        return user


class EmailBackend(AuthenticationBackend):
    """allauth looks an email up by its lower-cased spelling, exactly; an
    account created outside allauth (createsuperuser, the admin) may have kept
    capitals ('Alex@Example.org') and could then never sign in. Fall back to a
    case-insensitive match for those."""

    def get_user(self, user_id):
        """The signed-in person, with whether they have a confirmed email
        (or no allauth email record at all) read in the same query, for the
        `has_verified_email` rule (ideas/rules.py) on every page."""
        model = get_user_model()
        addresses = EmailAddress.objects.filter(user=OuterRef("pk"))
        user = (
            model._default_manager.annotate(_any_email=Exists(addresses), _a_verified_email=Exists(addresses.filter(verified=True)))
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        user._email_verified = user._a_verified_email or not user._any_email
        return user

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        email, password = credentials.get("email"), credentials.get("password")
        if user is not None or not email or not password or "email" not in account_settings.LOGIN_METHODS:
            return user
        email = email.strip()
        for candidate in get_user_model().objects.filter(email__iexact=email).exclude(email=email.lower()):
            if candidate.check_password(password) and self.user_can_authenticate(candidate):
                return candidate
        return None
