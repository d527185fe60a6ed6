"""Limits on adding organisations, sending invitations and downloading
one's data, on the counters every app shares (inputs/ratelimits.py). Views
ask before calling the services; a refusal is a Refused with status 429 and
the response a 429 with Retry-After (cms/middleware.py)."""

from inputs.ratelimits import consume, too_often, wait_text
from inputs.refusals import Refused

DEFAULT_RATES = {
    # Organisations are added rarely; a burst is a script.
    "organisation": {"user": "5/d", "ip": "20/d"},
    # Per sender and per address, so the site cannot be used to mail someone
    # over and over; per organisation, however many admins it has.
    "invitation": {"user": "30/h", "ip": "60/h", "organisation": "100/d", "recipient": "5/d"},
    # The download streams everything held about a person: a costly read.
    "data_download": {"user": "5/h", "ip": "20/h"},
}

MESSAGES = {
    "organisation": "{organisation} has sent too many invitations today. Please wait {wait} and try again.",
    "recipient": "Too many invitations have been sent to this address today. Please wait {wait} and try again.",
}
FIELDS = {"recipient": "email"}


def enforce(request, action, *, organisation=None, recipient=None):
    """Count this attempt at `action`; raise Refused (429) if a limit is
    passed. `organisation` and `recipient` (a cleaned address) are counted
    for invitations."""
    refused = consume(request, action, DEFAULT_RATES, keys={
        "organisation": organisation.pk if organisation is not None else None, "recipient": recipient,
    })
    if refused is None:
        return
    scope, retry = refused
    template = MESSAGES.get(scope)
    message = template.format(organisation=organisation.name if organisation is not None else "",
                              wait=wait_text(retry)) if template else too_often(retry)
    raise Refused(message, field=FIELDS.get(scope), status=429, code="rate_limited")
