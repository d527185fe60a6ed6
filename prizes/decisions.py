"""From the panel sheet to published results: a pure function of plain values.

The team decides each application of a stage from the sheet: shortlisted (on
the list the panel meeting works from), advanced (into the next stage, whose
questions it then answers on the same application), awarded (with what, as
the stage's awards say) or not taken forward. Decisions take effect when the
team publishes the stage's results: only then do applicants hear, advanced
applications move on, and the results appear on the call page, in open data
and in "you said, we did". An application still undecided at publication is
not taken forward, and the team is told which before it confirms, as it is
told which assessments are outstanding (the issue's "asks for confirmation
and says which").

Feedback follows Innovate UK's practice: every applicant, successful or
not, hears against each published criterion, from the assessors' comments,
which the team edits before it goes; the draft is the comments, anonymised,
one paragraph each."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

UNDECIDED = ""
SHORTLISTED = "shortlisted"
ADVANCED = "advanced"
AWARDED = "awarded"
DECLINED = "declined"

CHOICES = {
    SHORTLISTED: "Shortlist",
    ADVANCED: "Advance to the next stage",
    AWARDED: "Award",
    DECLINED: "Do not take forward",
    UNDECIDED: "Undecided",
}
# What a published result says of each decision, to the applicant and the public.
OUTCOMES = {
    SHORTLISTED: "Shortlisted",
    ADVANCED: "Advanced to the next stage",
    AWARDED: "Awarded",
    DECLINED: "Not taken forward",
}
PUBLIC = (AWARDED, ADVANCED)  # only these are named in public; the rest are never listed
LISTED_ABOUT = 5                           # references named in a warning before "and N more"


@dataclass(frozen=True)
class Row:
    """What publication needs of one application's sheet row."""

    reference: str
    assigned: int
    assessed: int
    decision: str


def decision_error(decision: str, award: str, has_next_stage: bool) -> tuple[str, str] | None:
    """(the field at fault, why) a decision cannot be recorded, or None."""
    if decision not in CHOICES:
        return "decision", "Choose what to do with the application."
    if decision == ADVANCED and not has_next_stage:
        return "decision", "This is the last stage: award the application or do not take it forward."
    if decision == AWARDED and not award.strip():
        return "award", "Say what is awarded, for example “A discovery award of £25,000”."
    if len(award) > 200:
        return "award", "Describe the award in 200 characters or fewer."
    return None


def _named(references: Sequence[str]) -> str:
    shown = ", ".join(references[:LISTED_ABOUT])
    return shown + (f" and {len(references) - LISTED_ABOUT} more" if len(references) > LISTED_ABOUT else "")


def outstanding(rows: Iterable[Row]) -> list[str]:
    """The references of applications with assessments still to come."""
    return [row.reference for row in rows if row.assessed < row.assigned]


def undecided(rows: Iterable[Row]) -> list[str]:
    return [row.reference for row in rows if row.decision in (UNDECIDED, SHORTLISTED)]


def warnings(rows: Iterable[Row]) -> list[str]:
    """What the team must confirm before publishing, naming the
    applications: outstanding assessments, and undecided applications
    (which publication marks not taken forward)."""
    rows = list(rows)
    found = []
    waiting = outstanding(rows)
    if waiting:
        missing = sum(max(r.assigned - r.assessed, 0) for r in rows)
        found.append(f"{missing} assessment{'s are' if missing != 1 else ' is'} outstanding, for "
                     f"{len(waiting)} application{'s' if len(waiting) != 1 else ''}: {_named(waiting)}.")
    open_ones = undecided(rows)
    if open_ones:
        found.append(f"{len(open_ones)} application{'s are' if len(open_ones) != 1 else ' is'} neither advanced nor "
                     f"awarded and will be marked not taken forward: {_named(open_ones)}.")
    return found


def on_publication(decision: str) -> str:
    """The decision as it stands once published: shortlisted or undecided
    applications not advanced or awarded are not taken forward."""
    return decision if decision in (ADVANCED, AWARDED) else DECLINED


def draft_feedback(criteria: Iterable[tuple[str, str]], comments: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """A first draft of the feedback by criterion id: the assessors'
    comments on it, one paragraph each, with no names. `criteria` is
    (id, name) in the published order."""
    draft = {}
    for criterion, _name in criteria:
        said = [c.strip() for c in comments.get(criterion, ()) if c and c.strip()]
        draft[criterion] = "\n\n".join(dict.fromkeys(said))
    return draft


def feedback_error(feedback: Mapping[str, str], criteria: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{criterion id: message} for feedback that cannot be sent: every
    criterion needs some, each at most 5,000 characters."""
    errors = {}
    for criterion, name in criteria:
        text = (feedback.get(criterion) or "").strip()
        if not text:
            errors[criterion] = f"Write feedback on “{name}”."
        elif len(text) > 5000:
            errors[criterion] = f"Feedback on “{name}” must be 5,000 characters or fewer."
    return errors
