"""Automatic checks on new and edited text: repeated posts are refused;
blocked terms, and links from accounts younger than a day, send the item to
the queue. Edits pass the same checks as posts (ideas/services/), or a
clean post could be edited into spam and stay public."""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from inputs.refusals import Refused

LINK_RE = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
DUPLICATE_WINDOW = timedelta(hours=1)


def _normalise(text):
    return " ".join((text or "").lower().split())


def refuse_duplicate(user, model, body, exclude=None):
    """The same text twice within the hour is refused; an edit is checked
    against the person's other posts (`exclude` is the item being edited)."""
    since = timezone.now() - DUPLICATE_WINDOW
    recent = model.objects.filter(author=user, created_at__gte=since)
    if exclude is not None:
        recent = recent.exclude(pk=exclude.pk)
    recent = recent.values_list("body", flat=True)[:50]
    if _normalise(body) in {_normalise(b) for b in recent}:
        raise Refused(
            "You posted the same text less than an hour ago.", field="body", status=409, code="duplicate"
        )


def hold_reason(user, *texts):
    """Why this text should wait for a moderator, or None."""
    joined = " ".join(t or "" for t in texts)
    lowered = joined.lower()
    for term in getattr(settings, "BLOCKED_TERMS", []):
        if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", lowered):
            return "contains a blocked term"
    hours = getattr(settings, "NEW_ACCOUNT_LINK_HOLD_HOURS", 24)
    joined_at = getattr(user, "date_joined", None)
    if LINK_RE.search(joined) and joined_at and timezone.now() - joined_at < timedelta(hours=hours):
        return "contains a link from an account less than a day old"
    return None
