"""Rate limits per person and per IP, through django-ratelimit's counters.

A refused action raises RateLimited (an ActionError with status 429); the
view shows the message on the form with what was typed, and the middleware
in cms/middleware.py turns the response into a 429 with Retry-After."""

from django.conf import settings
from django_ratelimit.core import get_usage

from .errors import ActionError

DEFAULT_RATES = {
    # action: {scope: rate}; rates as django-ratelimit writes them
    "signup": {"ip": "5/h"},
    "login": {"ip": "30/10m", "post:login": "10/10m"},
    "idea": {"user": "5/10m", "ip": "20/h"},
    "comment": {"user": "10/m", "ip": "60/10m"},
    "vote": {"user": "60/m", "ip": "300/m"},
    "flag": {"user": "10/10m", "ip": "30/h"},
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


def enforce(request, action):
    """Count this attempt; raise RateLimited if a limit is passed."""
    if request is None or not getattr(settings, "RATELIMIT_ENABLE", True):
        return
    for key, rate in _rates(action).items():
        if key == "user" and not request.user.is_authenticated:
            continue
        if key.startswith("post:") and not request.POST.get(key.split(":", 1)[1]):
            continue
        usage = get_usage(request, group=f"mc.{action}.{key}", key=key, rate=rate, increment=True)
        if usage and usage["should_limit"]:
            retry = max(1, int(usage["time_left"]))
            request.rate_limited = retry
            raise RateLimited(f"You have done this too often. Please wait {_wait(retry)} and try again.", retry)
