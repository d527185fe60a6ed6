"""Reads of missions and calls that several pages share."""

from django.utils import timezone

from . import phases
from .models import ChallengeCallPage, MissionPage


def home_missions():
    return list(MissionPage.objects.live().order_by("path"))


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
    from .charts import metric_chart

    metrics = list(mission.metrics.all().prefetch_related("points"))
    calls = ChallengeCallPage.objects.child_of(mission).live().order_by("submission_opens")
    return {
        "learning_questions": list(mission.learning_questions.all()),
        "team": list(mission.team_members.all()),
        "metrics": [{"metric": m, "points": list(m.points.all()), "chart": metric_chart(m)} for m in metrics],
        "pathway_versions": list(mission.pathway_versions.all()),
        "calls": calls_with_phase(calls),
    }
