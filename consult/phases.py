"""The phase clock of a challenge call.

Phases follow one another: submission → review → shortlist → results. The
clock is the server's (time-zone aware); what a person may do depends on the
phase at the moment the request arrives, never on what the page showed.
"""

from dataclasses import dataclass

from django.utils import timezone

from .formatting import format_datetime

UPCOMING = "upcoming"
SUBMISSION = "submission"
REVIEW = "review"
SHORTLIST = "shortlist"
RESULTS = "results"

LABELS = {
    UPCOMING: "Opens soon",
    SUBMISSION: "Open for ideas",
    REVIEW: "Under review",
    SHORTLIST: "Shortlisting",
    RESULTS: "Results",
}

# Which phases allow each participation action.
ACTION_PHASES = {
    "submit": {SUBMISSION},
    "edit": {SUBMISSION},
    "comment": {SUBMISSION, REVIEW},
    "vote": {SUBMISSION, REVIEW},
}

ACTION_NOUNS = {
    "submit": "Submissions",
    "edit": "Editing",
    "comment": "Comments",
    "vote": "Voting",
}


class PhaseClosed(Exception):
    """Raised when an action is attempted outside the phases that allow it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Window:
    phase: str
    starts: object
    ends: object


def windows(call):
    return [
        Window(UPCOMING, None, call.submission_opens),
        Window(SUBMISSION, call.submission_opens, call.submission_closes),
        Window(REVIEW, call.submission_closes, call.review_closes),
        Window(SHORTLIST, call.review_closes, call.shortlist_closes),
        Window(RESULTS, call.shortlist_closes, None),
    ]


def current_phase(call, now):
    """Each phase includes its start instant and excludes its end instant."""
    for window in windows(call):
        if (window.starts is None or now >= window.starts) and (window.ends is None or now < window.ends):
            return window.phase
    return RESULTS


def current_window(call, now):
    phase = current_phase(call, now)
    return next(w for w in windows(call) if w.phase == phase)


def action_window(call, action):
    """The first and last instant of the span in which an action is allowed."""
    allowed = [w for w in windows(call) if w.phase in ACTION_PHASES[action]]
    return allowed[0].starts, allowed[-1].ends


def format_moment(moment):
    """"1 March 2027 at 9am", as every moment is shown (consult/formatting.py)."""
    return format_datetime(moment)


def is_allowed(call, action, now=None):
    return current_phase(call, now or timezone.now()) in ACTION_PHASES[action]


def check(call, action, now=None):
    """Raise PhaseClosed with a message that says when the action opens or closed."""
    now = now or timezone.now()
    if current_phase(call, now) in ACTION_PHASES[action]:
        return
    opens, closes = action_window(call, action)
    noun = ACTION_NOUNS[action]
    if opens is not None and now < opens:
        raise PhaseClosed(f"{noun} for this call open on {format_moment(opens)}.")
    raise PhaseClosed(f"{noun} for this call closed on {format_moment(closes)}.")


def time_left(call, now=None):
    """Seconds until the current phase ends, or None in the last phase."""
    now = now or timezone.now()
    window = current_window(call, now)
    if window.ends is None:
        return None
    return (window.ends - now).total_seconds()
