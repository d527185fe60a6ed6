"""Rate limits per person and per IP, through django-ratelimit's counters.

A refused action raises RateLimited (an ActionError with status 429); the
view shows the message on the form with what was typed, and the middleware
in cms/middleware.py turns the response into a 429 with Retry-After."""

from django.conf import settings
from django_ratelimit.core import get_usage

from .errors import ActionError

DEFAULT_RATES = {
    # action: {scope: rate}; rates as django-ratelimit writes them. Sign-up
    # and log-in use allauth's limits (ACCOUNT_RATE_LIMITS, cms/accounts.py).
    "idea": {"user": "5/10m", "ip": "20/h"},
    "comment": {"user": "10/m", "ip": "60/10m"},
    "vote": {"user": "60/m", "ip": "300/m"},
    "flag": {"user": "10/10m", "ip": "30/h"},
    # Edits rewrite public text: limited like posts, looser for typo fixes.
    "edit": {"user": "20/10m", "ip": "60/h"},
}


class RateLimited(ActionError):
    def __init__(self, message, retry_after):
        super().__init__(message, status=429, code="rate_limited")
        self.retry_after = retry_after


def _rates(action):
    return {**DEFAULT_RATES.get(action, {}), **getattr(settings, "RATE_LIMITS", {}).get(action, {})}


def _wait(seconds):
    seconds = max(1, int(seconds))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _no_address(group, request):
    return "no-address"


def enforce(request, action):
    """Count this attempt; raise RateLimited if a limit is passed."""
    if request is None or not getattr(settings, "RATELIMIT_ENABLE", True):
        return
    for key, rate in _rates(action).items():
        if key == "user" and not request.user.is_authenticated:
            continue
        counter = key
        if key == "ip" and not request.META.get("REMOTE_ADDR"):
            # No client address (ASGI over a Unix socket): one shared counter
            # rather than django-ratelimit's KeyError.
            counter = _no_address
        usage = get_usage(request, group=f"mc.{action}.{key}", key=counter, rate=rate, increment=True)
        if usage and usage["should_limit"]:
            retry = max(1, int(usage["time_left"]))
            request.rate_limited = retry
            raise RateLimited(f"You have done this too often. Please wait {_wait(retry)} and try again.", retry)
