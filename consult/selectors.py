"""Reads of missions and calls that several pages share."""

from django.utils import timezone

from . import phases
from .charts import metric_chart
from .models import ChallengeCallPage, MissionPage


def home_missions():
    return list(MissionPage.objects.live().order_by("path"))


def open_calls(now=None, limit=6):
    """Calls taking ideas, comments or votes now, closing soonest first, each
    with its mission: what a visitor to the home page can do today."""
    now = now or timezone.now()
    calls = list(
        ChallengeCallPage.objects.live()
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


def calls_with_phase(calls, now=None):
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


def mission_context(mission):
    metrics = list(mission.metrics.all().prefetch_related("points"))
    calls = ChallengeCallPage.objects.child_of(mission).live().order_by("submission_opens")
    return {
        "learning_questions": list(mission.learning_questions.all()),
        "team": list(mission.team_members.all()),
        "metrics": [{"metric": m, "points": list(m.points.all()), "chart": metric_chart(m)} for m in metrics],
        "pathway_versions": list(mission.pathway_versions.all()),
        "calls": sorted(calls_with_phase(calls), key=_call_order),
    }


# Calls people can act on now come first; finished ones (and imported
# consultations, which open in their results phase) last.
PHASE_ORDER = [phases.SUBMISSION, phases.REVIEW, phases.UPCOMING, phases.SHORTLIST, phases.RESULTS]


def _call_order(item):
    return PHASE_ORDER.index(item["phase"]), -item["page"].submission_opens.timestamp()
