"""Reads of pilots that several pages share: plain functions of plain values."""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from consult.models import ChallengeCallPage, MissionPage, OutcomeMetric
from consult.visibility import public_pages
from ideas.models import Idea, PolisImport
from ideas.selectors import paginate
from ideas.visibility import is_public_idea, listed_ideas, public_ideas

from . import ledger as rules
from .models import PilotIdea, PilotPage, PilotResult
from .statuses import STATUS_COLOURS, STATUS_ORDER


def shown_pilots(mission: MissionPage) -> QuerySet[PilotPage]:
    """The mission's published pilots, but for one under a view restriction
    of its own (the mission page and its list of pilots are behind Wagtail's
    check of the mission): a queryset, for the mission page's section and
    the list's pages alike."""
    return public_pages(PilotPage.objects.child_of(mission))


def mission_pilots(mission: MissionPage) -> list[PilotPage]:
    """shown_pilots, newest first."""
    return list(shown_pilots(mission).order_by("-first_published_at"))


def mission_section(mission: MissionPage) -> dict:
    """The mission page's "Pilots: what we are testing": its live pilots,
    each with `latest_result` (or None) and its measure's metric loaded, in
    at most three queries whatever their number."""
    return {"pilots": with_latest_results(mission_pilots(mission), latest=1)}


def with_latest_results(pilots: list[PilotPage], latest: int | None = None) -> list[PilotPage]:
    """Sets `p.latest_results` (newest first, at most `latest`) and
    `p.latest_result` (or None) on each pilot, and loads the headline metrics
    their measures use: two queries at most, whatever their number."""
    by_pk = {p.pk: p for p in pilots}
    for p in pilots:
        p.latest_results = []
    if not by_pk:
        return pilots
    for result in PilotResult.objects.filter(page_id__in=by_pk).order_by("page_id", "-date", "-sort_order", "-pk"):
        found = by_pk[result.page_id].latest_results
        if latest is None or len(found) < latest:
            found.append(result)
    metric_ids = {p.metric_id for p in pilots if p.metric_id}
    if metric_ids:
        metrics = OutcomeMetric.objects.in_bulk(metric_ids)
        for p in pilots:
            if p.metric_id:
                p.metric = metrics[p.metric_id]
    for p in pilots:
        p.latest_result = p.latest_results[0] if p.latest_results else None
    return pilots


def mission_pilots_by_status(pilots: Iterable[PilotPage]) -> list[dict]:
    """[{"status", "label", "colour", "pilots"}] in STATUS_ORDER, only the
    statuses that have pilots."""
    groups = []
    for status in STATUS_ORDER:
        members = [p for p in pilots if p.status == status]
        if members:
            groups.append({"status": status, "label": status.label, "colour": STATUS_COLOURS[status],
                           "pilots": members})
    return groups


def evidence_details(pages: Iterable[Page]) -> dict[int, dict]:
    """What a cited pilot adds to an evidence list (consult/selectors.py
    `cited`): {page id: {"status": label, "status_value", "colour",
    "results": [the latest three, newest first], "unit"}} for the pilots
    among `pages`; two queries at most, whatever their number."""
    pilots = with_latest_results([p for p in pages if isinstance(p, PilotPage)], latest=3)
    return {
        p.pk: {"status": p.get_status_display(), "status_value": p.status,
               "colour": STATUS_COLOURS.get(p.status, "grey"), "results": p.latest_results, "unit": p.unit}
        for p in pilots
    }


# --- "You said, we did" (issue #18 item 3) ---------------------------------

LEDGER_PER_PAGE = 50
# The statuses that answer an idea without a written response.
DECIDED_STATUSES = ("taken_forward", "merged", "not_selected")
OUTCOME_COLOURS = {
    "scaled": "green", "piloted": "turquoise", "taken_forward": "blue", "merged": "purple",
    "not_taken_forward": "orange", "responded": "grey", "no_response_expected": "grey", "awaiting": "yellow",
}


def answer_expected(prefix: str = "") -> Q:
    """Q: the idea asks the team for an answer (pilots/ledger.py `expected`):
    not a statement about the participant (a Pol.is conversation's
    demographic questions, "I am under 25", marked by the team), and not an
    idea of an imported call (ideas.models.PolisImport) that has closed, a
    record of a consultation that ran elsewhere. The one rule of the team's
    "awaiting a response" list and dashboard panel and of the ledger's
    counts; `prefix` reaches the idea from another model ("idea__")."""
    closed_imports = PolisImport.objects.filter(call__submission_closes__lte=timezone.now()).values("call_id")
    return ~Q(**{f"{prefix}about_participant": True}) & ~Q(**{f"{prefix}call_id__in": closed_imports})


def _ledger_ideas(mission, call):
    """The public ideas of the one call (its page is behind Wagtail's check
    of the call's view restrictions), or of the mission's live calls that
    are not under a view restriction (ideas/visibility.py `listed_ideas`)."""
    if call is not None:
        return public_ideas().filter(call_id=call.pk)
    return listed_ideas().filter(call__path__startswith=mission.path, call__depth=mission.depth + 1)


def shown_links() -> QuerySet[PilotIdea]:
    """Ideas' links to the pilots anyone may see: published, and not under a
    view restriction of their own (a restricted pilot's title stays behind
    its password or sign-in, as on the mission's list of pilots). Every
    public surface naming an idea's pilots starts here: the idea page and
    its card (pilots/idea_fate.py) and "you said, we did"."""
    return PilotIdea.objects.filter(pilot__in=public_pages(PilotPage).values("pk"))


def _ledger_links(**filters):
    """Exists(one of the idea's shown pilots, matching `filters`)."""
    return Exists(shown_links().filter(idea_id=OuterRef("pk"), **filters))


def _annotated(ideas):
    return ideas.annotate(
        _linked=_ledger_links(),
        _started=_ledger_links(pilot__status__in=rules.STARTED),
        _scaled=_ledger_links(pilot__status="concluded", pilot__decision="scale"),
    )


def _outcome_q(key):
    """The database form of pilots/rules.py `outcome()` for one outcome key,
    over `_annotated` ideas (tests/pilots/test_ledger_pages.py checks that
    each filter returns exactly the ideas `outcome()` gives that key)."""
    undecided = Q(_linked=False) & ~Q(status__in=DECIDED_STATUSES)
    unanswered = undecided & Q(response_at__isnull=True)
    return {
        rules.SCALED: Q(_scaled=True),
        rules.PILOTED: Q(_started=True, _scaled=False),
        rules.TAKEN_FORWARD: (Q(_linked=True) | Q(status="taken_forward")) & Q(_started=False),
        rules.MERGED: Q(_linked=False, status="merged"),
        rules.NOT_TAKEN_FORWARD: Q(_linked=False, status="not_selected"),
        rules.RESPONDED: undecided & Q(response_at__isnull=False),
        rules.NO_RESPONSE_EXPECTED: unanswered & ~answer_expected(),
        rules.AWAITING: unanswered & answer_expected(),
    }[key]


def _median_response(ideas, answered):
    """The median of response_at - created_at over `answered` ideas with a
    response, in the database: one query (the middle one or two rows of the
    ideas ordered by their duration), on SQLite and PostgreSQL alike."""
    if not answered:
        return None
    waited = ExpressionWrapper(F("response_at") - F("created_at"), output_field=DurationField())
    middle = answered // 2
    start, stop = (middle, middle + 1) if answered % 2 else (middle - 1, middle + 1)
    rows = (ideas.filter(response_at__isnull=False).annotate(_waited=waited)
            .order_by("_waited", "pk").values_list("_waited", flat=True)[start:stop])
    return rules.median_days(list(rows))


def ledger(mission: MissionPage, call: ChallengeCallPage | None = None, page: int | str = 1,
           per_page: int = LEDGER_PER_PAGE, outcome: str | None = None) -> dict:
    """What became of every public idea of a mission (or of one of its calls).

    Returns {"counts": pilots/ledger.py counts() (received, responded,
    taken_forward, piloted, scaled), "median_days": the median days from an
    idea to the team's written response (None before any), "awaiting": how
    many await a response, "page_obj": the page of entries, "entries": that
    page's entries}. An entry is {"idea", "call", "outcome", "label",
    "colour", "reason_html" (the team's response, sanitised HTML, or ""),
    "merged_into" (the public idea it was merged into, or None), "pilots":
    [{"title", "url", "status", "status_label", "colour", "decision",
    "decision_label"}]}.

    "Responded to" counts every idea the team answered: in words, by a
    decision (not taken forward, merged) or by taking it into a pilot.
    Only published pilots count and are listed.

    Entries are ordered newest response first, then the ideas without a
    written response, newest idea first. `outcome` (a pilots/ledger.py key,
    or None for all) filters them; `page` is a number already checked by the
    caller (past the end gives the last page). Seven queries at most,
    whatever the number of ideas."""
    ideas = _ledger_ideas(mission, call)
    # Counted over the ideas' own columns (no subquery per idea: at 12,000
    # ideas the three per-idea EXISTS made the counts and the page sort take
    # 90 ms), then corrected by the ideas that have a shown pilot, read once.
    totals = ideas.aggregate(
        received=Count("pk"),
        written=Count("pk", filter=Q(response_at__isnull=False)),
        unanswered_undecided=Count("pk", filter=Q(response_at__isnull=True) & ~Q(status__in=DECIDED_STATUSES)
                                   & answer_expected()),
        unexpected=Count("pk", filter=Q(response_at__isnull=True) & ~Q(status__in=DECIDED_STATUSES)
                         & ~answer_expected()),
        forward_status=Count("pk", filter=Q(status="taken_forward")),
    )
    # The outcomes of ideas with shown pilots, decided by ledger.outcome().
    per_idea = {}
    rows = (shown_links().filter(idea__in=ideas)
            .annotate(_expected=ExpressionWrapper(answer_expected("idea__"), output_field=BooleanField()))
            .values_list("idea_id", "idea__status", "idea__response_at", "_expected", "pilot__status",
                         "pilot__decision"))
    for idea_id, status, response_at, expected, pilot_status, decision in rows:
        entry = per_idea.setdefault(idea_id, {"status": status, "responded": response_at is not None,
                                              "expected": bool(expected), "pilots": []})
        entry["pilots"].append((pilot_status, decision))
    # AWAITING is "no shown pilot, not decided, no written response, an
    # answer expected" (NO_RESPONSE_EXPECTED the same, none expected); an
    # idea taken forward without a shown pilot counts as taken forward.
    undecided_linked = [e for e in per_idea.values() if not e["responded"] and e["status"] not in DECIDED_STATUSES]
    awaiting = totals["unanswered_undecided"] - sum(1 for e in undecided_linked if e["expected"])
    unexpected = totals["unexpected"] - sum(1 for e in undecided_linked if not e["expected"])
    forward_only = totals["forward_status"] - sum(1 for e in per_idea.values() if e["status"] == "taken_forward")
    outcomes = [rules.outcome(**found) for found in per_idea.values()]
    outcomes += [rules.TAKEN_FORWARD] * forward_only
    counts = rules.counts(outcomes, received=totals["received"],
                          responded=totals["received"] - awaiting - unexpected)

    listed = ideas
    known = totals["received"]
    if outcome is not None:
        listed = _annotated(ideas).filter(_outcome_q(outcome))
        known = None
    # The order is found on the ids alone (sorting 12,000 whole rows with
    # their calls took 40 ms; the ids, 6), then the page's 50 are read.
    order = (F("response_at").desc(nulls_last=True), "-created_at", "-pk")
    page_obj = paginate(listed.order_by(*order).values_list("pk", flat=True), per_page, page, known_count=known)
    page_ids = list(page_obj.object_list)
    found = (Idea.objects.select_related("call", "merged_into", "merged_into__call")
             .annotate(_expected=ExpressionWrapper(answer_expected(), output_field=BooleanField()))
             .in_bulk(page_ids))
    page_ideas = [found[pk] for pk in page_ids if pk in found]
    links = {}
    if page_ideas:
        for link in (shown_links().filter(idea_id__in=[i.pk for i in page_ideas])
                     .select_related("pilot").order_by("linked_at", "pk")):
            links.setdefault(link.idea_id, []).append(link.pilot)
    entries = []
    for idea in page_ideas:
        pilots = links.get(idea.pk, [])
        key = rules.outcome(status=idea.status, responded=idea.response_at is not None,
                            pilots=[(p.status, p.decision) for p in pilots], expected=bool(idea._expected))
        merged_into = idea.merged_into if key == rules.MERGED else None
        if merged_into is not None and not is_public_idea(merged_into):
            merged_into = None
        entries.append({
            "idea": idea, "call": idea.call, "outcome": key, "label": rules.LABELS[key],
            "colour": OUTCOME_COLOURS[key], "reason_html": idea.response_html if idea.response_at else "",
            "merged_into": merged_into,
            "pilots": [{"title": p.title, "url": p.url, "status": p.status, "status_label": p.get_status_display(),
                        "colour": STATUS_COLOURS.get(p.status, "grey"), "decision": p.decision,
                        "decision_label": p.get_decision_display() if p.decision else ""} for p in pilots],
        })
    return {
        "counts": counts,
        "median_days": _median_response(ideas, totals["written"]),
        "awaiting": awaiting,
        "page_obj": page_obj,
        "entries": entries,
    }


def unanswered_ideas(missions: Iterable[MissionPage] | None = None) -> QuerySet[Idea]:
    """Public ideas awaiting the team's response (pilots/ledger.py AWAITING:
    no written response, not decided, merged or taken into a pilot) in the
    live calls of `missions` (None: every mission), oldest first: the team's
    list in the Wagtail admin (pilots/admin_views.py)."""
    ideas = public_ideas()
    if missions is not None:
        missions = list(missions)
        if not missions:
            return ideas.none()
        ideas = ideas.filter(reduce(or_, (Q(call__path__startswith=m.path, call__depth=m.depth + 1)
                                          for m in missions)))
    return (_annotated(ideas).filter(_outcome_q(rules.AWAITING))
            .select_related("call").order_by("created_at", "pk"))
