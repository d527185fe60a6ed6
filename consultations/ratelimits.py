"""Limits on responding without an account and on emailing links, on the
counters every app shares (inputs/ratelimits.py): per address the request
comes from and per email address, so the site can neither be flooded with
responses nor used to mail someone over and over. Views ask before calling
the services."""

from inputs.ratelimits import consume, too_often
from inputs.refusals import Refused

DEFAULT_RATES = {
    # Starting a response without an account, and sending one.
    "consultation_response": {"ip": "30/h", "recipient": "5/h"},
    # "Save and come back later" emails a link.
    "consultation_link": {"user": "20/h", "ip": "30/h", "recipient": "10/h"},
}


def enforce(request, action: str, *, recipient: str | None = None) -> None:
    """Count this attempt; raise Refused (429) if a limit is passed."""
    refused = consume(request, action, DEFAULT_RATES,
                      keys={"recipient": (recipient or "").strip().lower() or None})
    if refused is not None:
        _scope, retry = refused
        raise Refused(too_often(retry), status=429, code="rate_limited")
