"""Rate limits per person and per IP, through django-ratelimit's counters.

A refused action raises RateLimited (an Refused with status 429); the
view shows the message on the form with what was typed, and the middleware
in cms/middleware.py turns the response into a 429 with Retry-After."""

from inputs.ratelimits import consume, too_often
from inputs.refusals import Refused

DEFAULT_RATES = {
    # action: {scope: rate}; rates as django-ratelimit writes them. Sign-up
    # and log-in use allauth's limits (ACCOUNT_RATE_LIMITS, cms/accounts.py).
    "idea": {"user": "5/10m", "ip": "20/h"},
    "comment": {"user": "10/m", "ip": "60/10m"},
    "vote": {"user": "60/m", "ip": "300/m"},
    "flag": {"user": "10/10m", "ip": "30/h"},
    # Edits rewrite public text: limited like posts, looser for typo fixes.
    "edit": {"user": "20/10m", "ip": "60/h"},
    # A personal API token is a new way in: a few an hour is plenty.
    "token": {"user": "10/h", "ip": "30/h"},
    # Searching (the page and GET /api/v1/search) is the costliest read.
    "search": {"user": "60/m", "ip": "120/m"},
}


class RateLimited(Refused):
    def __init__(self, message, retry_after):
        super().__init__(message, status=429, code="rate_limited")
        self.retry_after = retry_after


def enforce(request, action):
    """Count this attempt; raise RateLimited if a limit is passed."""
    refused = consume(request, action, DEFAULT_RATES)
    if refused is not None:
        _scope, retry = refused
        raise RateLimited(too_often(retry), retry)
