"""Sign-in and sign-up limits on allauth's own counters (ACCOUNT_RATE_LIMITS),
keyed so that a stranger cannot lock the owner of an account out.

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
than all told "too many attempts", as RATELIMIT_FAIL_OPEN does for ours."""

import hashlib
import hmac
import math
import secrets
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from allauth.core.internal import ratelimit as allauth_ratelimit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.urls import reverse

from inputs.ratelimits import wait_text

APP = "allauth.account"
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


def _key_rates(action):
    return [rate for rate in allauth_ratelimit.get_rates(app=APP, action=action) if rate.per == "key"]


def seconds_until_allowed(request, action, key=None, per=None):
    """How long until every full limit of ``action`` (those ``per`` "ip" or
    "key" if given) lets one more attempt through; None when none is full
    (the cache could not be read), so the caller lets the attempt through."""
    now = time.time()
    waits = []
    for rate in allauth_ratelimit.get_rates(app=APP, action=action):
        if rate.per == "user" or (rate.per == "key" and key is None) or (per and rate.per != per):
            continue
        cache_key = allauth_ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key)
        history = [stamp for stamp in cache.get(cache_key) or [] if stamp > now - rate.duration]
        if len(history) >= rate.amount:
            waits.append(min(history) + rate.duration - now)
    return max(1, math.ceil(max(waits))) if waits else None


def limit(request, action, key=None):
    """Count one attempt at ``action``; return the seconds to wait if it is
    refused, else None. Marks the request so the response becomes a 429."""
    if request is None or ratelimit.consume(request, action=action, key=key):
        return None
    wait = seconds_until_allowed(request, action, key)
    if wait is not None:
        request.rate_limited = wait
    return wait


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

    def _get_login_attempts_cache_key(self, request, **credentials):
        """allauth's key is the site and the lower-cased email (the form has
        already stripped spaces); ours adds the client's address, so failures
        from one address never lock the account at another, or, from a
        browser that signed in to this account before, that browser's id.
        allauth also clears this key when the password is reset."""
        base = super()._get_login_attempts_cache_key(request, **credentials)
        device = trusted_device(request, credentials.get("email"))
        if device:
            return f"{base}:device:{device}"
        return f"{base}:{allauth_ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials):
        key = self._get_login_attempts_cache_key(request, **credentials)
        if trusted_device(request, credentials.get("email")):
            # The account's own limit for this browser; the address's does not apply.
            usages = []
            for rate in _key_rates("login_failed"):
                usage = allauth_ratelimit._consume_single_rate(request, app=APP, action="login_failed", rate=rate, key=key)
                if usage is None:
                    allauth_ratelimit.RateLimitUsage(usages).rollback()
                    return self._refuse(request, key, per="key")
                usages.append(usage)
            self._login_failed_rl_usage = allauth_ratelimit.RateLimitUsage(usages)
            return None
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            self._refuse(request, key)
        return None

    def _refuse(self, request, key, per=None):
        wait = seconds_until_allowed(request, "login_failed", key, per=per)
        if wait is None:
            return None  # counters unreadable: let the password decide
        request.rate_limited = wait
        for_email = per == "key" or seconds_until_allowed(request, "login_failed", key, per="key")
        where = "for this email address from your connection" if for_email else "from your connection"
        raise forms.ValidationError(
            f"Too many failed sign-in attempts {where}. "
            f"Please wait {wait_text(wait)} and try again, or reset your password.",
            code="too_many_login_attempts",
        ) from None

    def authenticate(self, request, **credentials):
        """On success, forget this address's (or browser's) failures for this
        email. The per-address count (all emails) stays: clearing it would let
        someone sign in to their own account between guesses at others'."""
        user = super().authenticate(request, **credentials)
        if user is not None and request is not None:
            key = self._get_login_attempts_cache_key(request, **credentials)
            for rate in _key_rates("login_failed"):
                cache.delete(allauth_ratelimit.get_cache_key(request, app=APP, action="login_failed", rate=rate, key=key))
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
