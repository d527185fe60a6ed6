"""Pilots, their results and the "you said, we did" ledger as open data
(issue #18), read once for the read API (opendata/pilots_api.py), the
downloads (opendata/downloads.py) and the results feed (opendata/feeds.py).

Visibility is the rest of open data's: a pilot appears when its page is
public by the page rule (consult/visibility.py: live, not under a Wagtail
view restriction, as for calls) and its mission is public too; the ideas a pilot came from
and the ledger's rows start from the one visibility query
(ideas/visibility.py) in the public calls; a pilot lists only the public
calls it cites. Every list is a fixed number of queries whatever its size:
the page of pilots (or ideas), then one prefetch each for learning
questions, calls, ideas and results (or pilots).

"Updated since" for pilots: the page was last published since (results,
the lesson and the decision are edited and published with the page).

An idea's outcome is pilots/ledger.py's, from its status, whether the team
answered it, and the public pilots it was taken forward into (a pilot still
in draft leaves the idea "taken forward", and is not named)."""

from html import unescape

from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Substr
from django.utils.html import strip_tags
from wagtail.models import Page

from consult.models import ChallengeCallPage, LearningQuestion, MissionPage
from consult.visibility import public_pages
from ideas.visibility import public_ideas
from pilots import ledger
from pilots.selectors import answer_expected
from pilots.models import PilotIdea, PilotPage, PilotResult, PilotStatus


STATUSES = tuple(PilotStatus.values)
OUTCOMES = tuple(ledger.LABELS)


def page_url(page, base_url="", request=None):
    """The page's address: a path in the API, absolute in downloads."""
    url = page.get_url(request) or ""
    return url if "://" in url else base_url + url


def public_pilots():
    """Public pilots (consult/visibility.py) whose mission is public too,
    with `mission_id`."""
    step = Page.steplen
    missions = public_pages(MissionPage)
    return (
        public_pages(PilotPage)
        .annotate(parent_path=Substr("path", 1, (F("depth") - 1) * step))
        .filter(parent_path__in=missions.values("path"))
        .annotate(mission_id=Subquery(MissionPage.objects.filter(path=OuterRef("parent_path")).values("pk")[:1]))
    )


def pilots(mission=None, call=None, status=None, since=None, pk=None):
    qs = public_pilots()
    if pk is not None:
        qs = qs.filter(pk=pk)
    if mission is not None:
        qs = qs.filter(path__startswith=mission.path, depth=mission.depth + 1)
    if call is not None:
        qs = qs.filter(calls=call)
    if status:
        qs = qs.filter(status=status)
    if since:
        qs = qs.filter(last_published_at__gte=since)
    return with_details(qs.order_by("path"))


def with_details(qs):
    """The prefetches a pilot row reads: one query each, whatever the page.
    Only the public calls it cites, and the public ideas it came from."""
    public_calls = public_pages(ChallengeCallPage)
    ideas = public_ideas().filter(call_id__in=public_calls.values("pk")).values("pk")
    return qs.select_related("metric").prefetch_related(
        Prefetch("learning_questions", queryset=LearningQuestion.objects.only("pk").order_by("sort_order", "pk")),
        Prefetch("calls", queryset=public_calls.only("pk").order_by("path")),
        Prefetch("idea_links", queryset=PilotIdea.objects.filter(idea_id__in=ideas)
                 .only("pilot_id", "idea_id").order_by("idea_id")),
        Prefetch("results", queryset=PilotResult.objects.order_by("date", "sort_order", "pk")),
    )


def _number(value):
    return float(value) if value is not None else None


def measure(pilot):
    return {
        "name": pilot.measure_label, "unit": pilot.unit or "", "baseline": _number(pilot.baseline),
        "target": _number(pilot.target), "metric": pilot.metric_id,
    }


def result_row(result):
    return {"date": result.date, "value": float(result.value), "commentary": result.commentary,
            "source": result.source}


def pilot_row(pilot, base_url="", request=None):
    """One pilot as plain values (`with_details` prefetched)."""
    return {
        "id": pilot.pk, "mission": pilot.mission_id, "title": pilot.title,
        "url": page_url(pilot, base_url, request), "summary": pilot.summary,
        "hypothesis": {"change": pilot.change, "outcome": pilot.outcome, "people": pilot.people,
                       "sentence": pilot.hypothesis},
        "measure": measure(pilot),
        "learning_questions": [q.pk for q in pilot.learning_questions.all()],
        "calls": [c.pk for c in pilot.calls.all()],
        "ideas": [link.idea_id for link in pilot.idea_links.all()],
        "location": pilot.location, "starts_on": pilot.starts_on, "ends_on": pilot.ends_on,
        "status": pilot.status, "lesson": pilot.lesson, "decision": pilot.decision,
        "decision_reason": pilot.decision_reason,
        "first_published_at": pilot.first_published_at, "last_published_at": pilot.last_published_at,
        "results": [result_row(r) for r in pilot.results.all()],
    }


def result_lines(pilot, base_url="", request=None):
    """The results download: one row per result, with its pilot and measure."""
    head = {"pilot": pilot.pk, "pilot_title": pilot.title, "pilot_url": page_url(pilot, base_url, request),
            "mission": pilot.mission_id, "measure": pilot.measure_label, "unit": pilot.unit or ""}
    for result in pilot.results.all():
        yield {**head, **result_row(result)}


# --- the ledger ------------------------------------------------------------


def ledger_ideas(scope):
    """The ledger's ideas: every public idea in the scope's calls, with the
    public pilots each was taken forward into (one prefetch)."""
    links = (
        PilotIdea.objects.filter(pilot_id__in=public_pilots().values("pk"))
        .select_related("pilot").order_by("pilot__path")
    )
    return (
        public_ideas().filter(call_id__in=scope.call_ids)
        .only("pk", "call_id", "title", "status", "response", "response_html", "response_at")
        # Whether it asks for an answer: the rule of the site's ledger (pilots/selectors.py).
        .annotate(_expected=ExpressionWrapper(answer_expected(), output_field=BooleanField()))
        .prefetch_related(Prefetch("pilot_links", queryset=links)).order_by("pk")
    )


def plain_response(idea):
    if idea.response_html:
        return " ".join(unescape(strip_tags(idea.response_html)).split())
    return idea.response


def ledger_row(idea, scope, base_url="", request=None):
    pilots_ = [link.pilot for link in idea.pilot_links.all()]
    key = ledger.outcome(status=idea.status, responded=bool(idea.response_at or idea.response),
                         pilots=[(p.status, p.decision) for p in pilots_],
                         expected=bool(getattr(idea, "_expected", True)))
    return {
        "idea": idea.pk, "call": idea.call_id, "title": idea.title, "url": base_url + idea.get_absolute_url(),
        "status": idea.status, "outcome": key, "outcome_label": ledger.LABELS[key],
        "response": plain_response(idea), "responded_at": idea.response_at,
        "pilots": [{"id": p.pk, "title": p.title, "url": page_url(p, base_url, request), "status": p.status}
                   for p in pilots_],
        "data_attribution": scope.attribution(idea.call_id),
    }
