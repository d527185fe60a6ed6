"""Reads of missions and calls that several pages share."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone
from wagtail.models import Page

from . import mission_page, phases
from .charts import shared_metric_chart
from .formatting import is_month_series
from .models import ChallengeCallPage, MissionPage
from .visibility import pages_visible_to, public_pages


def home_missions() -> list[MissionPage]:
    return list(public_pages(MissionPage).order_by("path"))


def open_calls(now: datetime | None = None, limit: int = 6) -> list[dict]:
    """Calls taking ideas, comments or votes now, closing soonest first, each
    with its mission: what a visitor to the home page can do today."""
    now = now or timezone.now()
    calls = list(
        public_pages(ChallengeCallPage)
        .filter(submission_opens__lte=now, review_closes__gt=now)
        .order_by("submission_closes", "review_closes", "pk")[:limit]
    )
    # A call's mission is its tree parent: one query for all of them.
    step = ChallengeCallPage.steplen
    missions = {m.path: m for m in MissionPage.objects.filter(path__in={c.path[:-step] for c in calls})}
    items = calls_with_phase(calls, now)
    for item in items:
        item["mission"] = missions.get(item["page"].path[:-step])
    return items


def calls_with_phase(calls: Iterable[ChallengeCallPage], now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    result = []
    for call in calls:
        window = phases.current_window(call, now)
        result.append(
            {
                "page": call,
                "phase": window.phase,
                "phase_label": phases.LABELS[window.phase],
                "ends": window.ends,
                "seconds_left": (window.ends - now).total_seconds() if window.ends else None,
            }
        )
    return result


def mission_calls(mission: MissionPage, user: Any = None, passed: Iterable[int] = ()) -> list[ChallengeCallPage]:
    """The mission's calls this person may see (consult/visibility.py)."""
    return list(pages_visible_to(ChallengeCallPage.objects.child_of(mission), user, passed).order_by("submission_opens"))


def mission_context(mission: MissionPage, user: Any = None, passed: Iterable[int] = ()) -> dict:
    metrics = list(mission.metrics.all().prefetch_related("points"))
    calls = mission_calls(mission, user, passed)
    return {
        "learning_questions": _questions_with_ideas(mission, calls),
        "team": list(mission.team_members.all()),
        "metrics": [_metric_entry(m) for m in metrics],
        "pathway_versions": _versions_with_citations(mission),
        "calls": sorted(calls_with_phase(calls), key=_call_order),
        # What the apps above consult add (pilots: "Pilots: what we are testing").
        **mission_page.sections(mission),
        # Where the apps above put their links and sections (register_part).
        "parts": mission_page.parts(),
    }


def _versions_with_citations(mission):
    """The pathway versions, newest first, each with `v.cited` (the pilots and
    calls it cites, with what they showed): the same queries for any number
    of versions and citations."""
    versions = list(mission.pathway_versions.all().prefetch_related("citations"))
    entries = cited([row for v in versions for row in v.citations.all()])
    for v in versions:
        v.cited = [e for e in entries if e["row"].version_id == v.pk]
    return versions


def _metric_entry(metric):
    points = sorted(metric.points.all(), key=lambda p: p.date)
    return {
        "metric": metric,
        "points": points,
        "latest": points[-1] if points else None,
        # The latest commentary the owner wrote, with the figure it is about.
        "commentary": next((p for p in reversed(points) if p.commentary.strip()), None),
        "monthly": is_month_series([p.date for p in points] + [metric.baseline_date, metric.target_date]),
        "chart": shared_metric_chart(metric, points),
    }


def _questions_with_ideas(mission, calls):
    """Each learning question with the public ideas that answer it, per call
    (`q.idea_total`, `q.idea_calls` = [{"page", "count"}]): one query for all
    the questions (the provider's), whatever their number."""
    questions = list(mission.learning_questions.all())
    by_pk = {c.pk: c for c in calls}
    counts = {}
    for question_id, call_id, count in mission_page.question_ideas(mission):
        if call_id in by_pk:
            counts.setdefault(question_id, []).append({"page": by_pk[call_id], "count": count})
    for q in questions:
        q.idea_calls = sorted(counts.get(q.pk, []), key=lambda c: c["page"].submission_opens)
        q.idea_total = sum(c["count"] for c in q.idea_calls)
    return questions


# Calls people can act on now come first; finished ones (and imported
# consultations, which open in their results phase) last.
PHASE_ORDER = [phases.SUBMISSION, phases.REVIEW, phases.UPCOMING, phases.SHORTLIST, phases.RESULTS]


def _call_order(item):
    return PHASE_ORDER.index(item["phase"]), -item["page"].submission_opens.timestamp()


def cited(citations: Iterable[Any]) -> list[dict]:
    """Citations (QuestionEvidence or PathwayCitation rows) with their pages
    as the specific type and what the owning app adds (a pilot's status and
    results): a fixed number of queries for any number of citations."""
    rows = list(citations)
    pages = {p.pk: p for p in public_pages(Page.objects.filter(pk__in={r.page_id for r in rows})).specific()}
    details = mission_page.evidence_details(list(pages.values()))
    entries = []
    for row in rows:
        page = pages.get(row.page_id)
        if page is None:  # unpublished or restricted since it was cited
            continue
        entries.append({"page": page, "note": row.note, "kind": getattr(page.specific_class, "citation_label", page.specific_class._meta.verbose_name),
                        "row": row, **details.get(page.pk, {})})
    return entries


def question_context(mission: MissionPage, question_id: int, user: Any = None, passed: Iterable[int] = ()) -> dict:
    question = mission.learning_questions.get(pk=question_id)
    calls = mission_calls(mission, user, passed)
    by_pk = {c.pk: c for c in calls}
    idea_calls = [
        {"page": by_pk[call_id], "count": count}
        for q_id, call_id, count in mission_page.question_ideas(mission)
        if q_id == question.pk and call_id in by_pk
    ]
    return {
        "question": question,
        "evidence": cited(question.evidence.all()),
        "idea_calls": idea_calls,
        "mission": mission,
    }
