"""Scores to a panel sheet: a pure function of plain values.

Each assessor scores every published criterion of the stage on its scale
(0–10 by default) with a comment. An assessor's total is the weighted share
of the maximum, in per cent, so criteria on different scales and weights add
up as the call page publishes them. An application's score is the mean of
its assessors' totals; its spread (highest minus lowest) and the outliers
(an assessor more than OUTLIER_POINTS from the median of all the
application's totals, with three or more assessors) are what the panel meeting discusses, as Innovate
UK checks its assessors' scores for outliers before ranking. Nothing is
removed automatically: the chair may record a moderated score, with a
reason, which then stands for the application. A stage may set a quality
threshold (Innovate UK's is typically 70%); the sheet ranks by the final
score, ties sharing a rank."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import sqrt
from statistics import median

OUTLIER_POINTS = 20.0       # percentage points from the median of the other assessors
DISAGREEMENT_POINTS = 25.0  # highest minus lowest total


@dataclass(frozen=True)
class Criterion:
    key: object
    weight: float = 1.0
    low: int = 0
    high: int = 10


def score_error(criterion: Criterion, value) -> str | None:
    """Why `value` is not a score for `criterion`, or None."""
    whole = isinstance(value, int) and not isinstance(value, bool)
    if not whole or not criterion.low <= value <= criterion.high:
        return f"Give a whole number from {criterion.low} to {criterion.high}."
    return None


def total(scores: Mapping[object, int], criteria: Iterable[Criterion]) -> float:
    """The weighted share of the maximum, in per cent (0–100). Every
    criterion must be scored on its scale (ValueError otherwise)."""
    criteria = list(criteria)
    weights = sum(c.weight for c in criteria)
    if not criteria or weights <= 0:
        raise ValueError("A stage needs at least one criterion with a weight.")
    share = 0.0
    for c in criteria:
        if c.key not in scores:
            raise ValueError(f"Criterion {c.key!r} is not scored.")
        if (error := score_error(c, scores[c.key])) is not None:
            raise ValueError(f"Criterion {c.key!r}: {error}")
        share += c.weight * (scores[c.key] - c.low) / (c.high - c.low)
    return round(100 * share / weights, 2)


@dataclass(frozen=True)
class Summary:
    application: object
    totals: dict                 # assessor -> total (those who submitted)
    assigned: int                # assessors assigned
    mean: float | None
    spread: float | None
    stdev: float | None
    outliers: tuple              # assessors far from the others
    disagreement: bool
    moderated: float | None
    final: float | None          # the moderated score if any, else the mean
    passes: bool | None          # against the stage's threshold, if it has one

    @property
    def complete(self) -> bool:
        return len(self.totals) >= self.assigned

    @property
    def outstanding(self) -> int:
        return max(self.assigned - len(self.totals), 0)


def outliers(totals: Mapping[object, float], points: float = OUTLIER_POINTS) -> tuple:
    """Assessors whose total is more than `points` from the median of all
    the totals (only with three or more: with two, neither is the odd one
    out, and the spread says they disagree)."""
    if len(totals) < 3:
        return ()
    middle = median(totals.values())
    return tuple(assessor for assessor, value in totals.items() if abs(value - middle) > points)


def summarise(application, sheets: Mapping[object, Mapping[object, int]], criteria: Iterable[Criterion],
              assigned: int, moderated: float | None = None, threshold: float | None = None,
              outlier_points: float = OUTLIER_POINTS, disagreement_points: float = DISAGREEMENT_POINTS) -> Summary:
    """One application's row: `sheets` holds each submitting assessor's
    scores by criterion."""
    criteria = list(criteria)
    totals = {assessor: total(scores, criteria) for assessor, scores in sheets.items()}
    values = list(totals.values())
    mean = round(sum(values) / len(values), 2) if values else None
    spread = round(max(values) - min(values), 2) if values else None
    final = moderated if moderated is not None else mean
    return Summary(
        application=application, totals=totals, assigned=assigned, mean=mean, spread=spread,
        stdev=round(sqrt(sum((v - sum(values) / len(values)) ** 2 for v in values) / len(values)), 2)
        if len(values) > 1 else None,
        outliers=outliers(totals, outlier_points),
        disagreement=spread is not None and len(values) > 1 and spread > disagreement_points,
        moderated=moderated, final=final,
        passes=None if threshold is None or final is None else final >= threshold,
    )


def ranked(summaries: Iterable[Summary]) -> list[tuple[int | None, Summary]]:
    """(rank, summary), best first; equal final scores share a rank; an
    application with no score yet comes last, unranked."""
    scored = sorted((s for s in summaries if s.final is not None),
                    key=lambda s: (-s.final, str(s.application)))
    rows, rank, previous = [], 0, None
    for place, summary in enumerate(scored, start=1):
        if summary.final != previous:
            rank, previous = place, summary.final
        rows.append((rank, summary))
    return rows
