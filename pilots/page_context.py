"""What a pilot's own page shows (PilotPage.get_context): its mission,
measure, results, chart, ideas, questions, calls and published history.
Apart from pilots/selectors.py, which reads the models, so that the page
model can import it."""

from types import SimpleNamespace

from wagtail.models import Page, PageLogEntry

from consult.charts import shared_metric_chart
from consult.visibility import public_pages
from ideas.visibility import listed_ideas

from . import history
from .statuses import STATUS_COLOURS, PilotStatus

HISTORY_SHOWN = 200


def pilot_history(pilot):
    """Each published revision, oldest first, with what it changed in words
    (pilots/history.py): [{"at", "text"}]. One query; the newest
    HISTORY_SHOWN are compared and shown (a pilot is republished for each
    result, so hundreds would be unusual), and `earlier` says how many
    older ones there are."""
    rows = list(
        PageLogEntry.objects.filter(page_id=pilot.pk, action="wagtail.publish")
        .order_by("-timestamp", "-pk")
        .values_list("timestamp", "revision__content")[: HISTORY_SHOWN + 1]
    )[::-1]
    earlier = 0
    if len(rows) > HISTORY_SHOWN:
        earlier = PageLogEntry.objects.filter(page_id=pilot.pk, action="wagtail.publish").count() - HISTORY_SHOWN
    labels = dict(PilotStatus.choices)
    entries, before = [], None
    for index, (at, content) in enumerate(rows):
        if index >= (1 if earlier else 0):
            if content is None or (index > 0 and before is None):
                text = "Updated (the revisions compared are no longer kept)."
            else:
                text = history.sentence(history.changes(before if index > 0 else None, content,
                                                        unit=pilot.unit or "", status_labels=labels))
            entries.append({"at": at, "text": text})
        before = content
    return {"entries": entries, "earlier": earlier}


def pilot_context(pilot):
    """Everything a pilot's page shows, in a fixed number of queries whatever
    the number of results, ideas, questions, calls and revisions."""
    # The mission is the tree parent (a new page previewed in the admin may have no path yet).
    mission = Page.objects.filter(path=pilot.path[: -pilot.steplen]).first() if pilot.path else None
    results = list(pilot.results.all())
    if pilot.metric_id:
        pilot.metric  # noqa: B018  (loaded once here for the measure's name, unit, baseline and target)
    # The chart reads a metric-like object: the pilot's measure, from its start to its end.
    measure = SimpleNamespace(
        pk=pilot.pk, name=pilot.measure_label or pilot.title, unit=pilot.unit or "",
        baseline=pilot.baseline, baseline_date=pilot.starts_on, target=pilot.target, target_date=pilot.ends_on,
    )
    # An unsaved page (previewed before its first save) has no links yet.
    idea_links = list(
        pilot.idea_links.filter(idea__in=listed_ideas()).select_related("idea", "idea__call").order_by("linked_at", "pk")
    ) if pilot.pk is not None else []
    return {
        "mission": mission,
        "status_colour": STATUS_COLOURS.get(pilot.status, "grey"),
        "ended": pilot.status in (PilotStatus.CONCLUDED, PilotStatus.STOPPED),
        "results": results,
        "latest_result": results[-1] if results else None,
        "chart": shared_metric_chart(measure, results, chart_id=f"pilot-chart-{pilot.pk}") if results else None,
        "questions": list(pilot.learning_questions.select_related("page").order_by("page_id", "sort_order", "pk")),
        "pilot_calls": list(public_pages(pilot.calls.all()).order_by("submission_opens")),
        "idea_links": idea_links,
        "history": pilot_history(pilot),
    }
