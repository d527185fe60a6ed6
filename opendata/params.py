"""The open data filters, read the same way by every endpoint and download
(pure: no database). A parameter an endpoint does not take, an id that is
not a number or a date that is not a date is a 400 naming the parameter:
silently ignoring `updated_snce=2026-01-01` would hand back everything and
look like an answer.

"Updated since" takes a date (2026-01-31, from midnight UTC) or an ISO 8601
date and time (2026-01-31T09:00:00Z; without an offset it is read as UTC).
What counts as an update differs by kind and is documented in
docs/open-data.md."""

from datetime import datetime, time, UTC

from django.utils.dateparse import parse_date, parse_datetime

from ideas.validation import bad_parameter, only_parameters
from ideas.models import IdeaStatus

MAX_ID = 2**63 - 1
STATUSES = tuple(IdeaStatus.values)
DATE_HELP = "a date (2026-01-31) or an ISO 8601 date and time (2026-01-31T09:00:00Z)"


# One wording for every read endpoint, opinion map included (ideas/validation.py).
bad, only = bad_parameter, only_parameters


def identifier(name, value):
    """A row id from the query string, or None when not given (an empty
    `?mission=` is given, and not a number)."""
    if value is None:
        return None
    value = str(value).strip()
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise bad(name, f"{name} must be a whole number, the id of a {name} (as in /api/v1/missions).")
    return int(value)


def status(value):
    if value is None:
        return None
    if value not in STATUSES:
        raise bad("status", f"status must be one of {', '.join(STATUSES)}.")
    return value


def since(value, name="updated_since"):
    """An aware datetime in UTC, or None when not given."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is None:
                raise ValueError
            moment = datetime.combine(day, time.min)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise bad(name, f"{name} must be {DATE_HELP}; “{text[:40]}” is not.") from None
