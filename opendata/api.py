"""Open data, read-only and without sign-in, under /api/v1/: missions with
their learning questions, outcome metrics (every data point with the owner's
commentary) and calls with participation figures; a call's public ideas, page
by page; and, filterable by mission, call, status and updated_since, lists
of calls, ideas, comments, tallies and metrics, and a mission's or call's
participation counts (docs/open-data.md). Everything here comes from the
same visibility query as the pages, so hidden content never appears, and
from counters or the stored participation snapshot, not per-row counts.
Rows are opendata/data.py's, the same as the downloads'. A parameter an
endpoint does not take is a 400 naming it (opendata/params.py).

The operations go on the participation API itself (ideas.api.api), with its
errors and docs; cms/urls.py calls `register` when it mounts that API, so
ideas never imports this app, which sits above it."""

from datetime import date, datetime
from typing import Literal

from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Schema
from pydantic import ConfigDict

from consult import phases
from consult.models import ChallengeCallPage, MissionPage
from inputs.refusals import Refused
from ideas.selectors import CONSENSUS_SORT, ORDERINGS
from ideas.visibility import public_ideas
from ideas.serializers import idea_record
from ideas.validation import PathId

from . import data, params

PAGE_SIZE = 50


class MetricPointOut(Schema):
    date: date
    value: float
    source: str
    commentary: str


class MetricOut(Schema):
    name: str
    unit: str
    direction: str
    baseline: float
    baseline_date: date | None
    target: float
    target_date: date
    points: list[MetricPointOut]


class QuestionOut(Schema):
    question: str
    status: str
    answer: str


class ParticipationOut(Schema):
    ideas: int
    comments: int
    votes: int


class CallOut(Schema):
    id: int
    slug: str
    title: str
    url: str
    phase: str
    submission_opens: datetime
    submission_closes: datetime
    review_closes: datetime
    shortlist_closes: datetime
    voting_mode: str
    participation: ParticipationOut
    data_attribution: str


class MissionOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 3, "slug": "clean-energy", "title": "Clean energy for every home", "goal": "Halve home heating bills",
        "url": "/missions/clean-energy/", "owner_name": "Ada Owner", "owner_role": "Director",
        "learning_questions": [{"question": "What makes people switch?", "status": "open", "answer": ""}],
        "metrics": [], "calls": []}]})
    id: int
    slug: str
    title: str
    goal: str
    url: str
    owner_name: str
    owner_role: str
    learning_questions: list[QuestionOut]
    metrics: list[MetricOut]
    calls: list[CallOut]


class MissionPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[MissionOut]


class IdeaRowOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 101, "title": "Heat pump lending library", "summary": "Try a heat pump for a month.",
        "status": "submitted", "url": "/ideas/101/", "organisation": "", "created_at": "2026-01-10T12:00:00Z",
        "support_count": 52, "agree_count": 0, "disagree_count": 0, "pass_count": 0, "comment_count": 7}]})
    id: int
    title: str
    summary: str
    status: str
    url: str
    organisation: str
    created_at: datetime
    support_count: int
    agree_count: int
    disagree_count: int
    pass_count: int
    comment_count: int


class IdeaPageOut(Schema):
    call: int
    count: int
    page: int
    pages: int
    data_attribution: str
    results: list[IdeaRowOut]


# The schema declares what the views check: pages count from 1, and the sorts
# are these five (a page past the last is a 404 naming the last page).
# "consensus" is the call page's "Agreed across groups": group-informed
# consensus from the call's opinion map, ideas not yet scored last.
class PageIn(Schema):
    page: int = Field(1, ge=1)


class MissionListIn(PageIn):
    updated_since: str | None = Field(
        None, description=f"Missions whose page was published since {params.DATE_HELP}.",
        examples=["2026-01-31", "2026-01-31T09:00:00Z"])


class IdeaListIn(PageIn):
    sort: Literal["newest", "supported", "agreed", "consensus", "discussed"] = "newest"


SORTS = {
    "newest": ORDERINGS["newest"],
    "supported": ORDERINGS["supported"],
    "agreed": ("-agree_count", "-pk"),
    "consensus": ORDERINGS[CONSENSUS_SORT],
    "discussed": ORDERINGS["discussed"],
}


def _page_number(value, count, size=PAGE_SIZE):
    pages = max(1, -(-count // size))
    if value < 1:
        raise Refused("page counts from 1.", field="page", status=422, code="invalid")
    if value > pages:
        raise Refused(f"Page {value} does not exist: pages run from 1 to {pages}.", field="page", status=404,
                          code="not_found")
    return pages


def _participation(call_ids):
    """Ideas, comments and votes per call: sums of the ideas' counters over
    public ideas, one grouped query for all the calls."""
    rows = (
        public_ideas().filter(call_id__in=call_ids).values("call_id")
        .annotate(comments=Sum("comment_count"),
                  votes=Sum("support_count") + Sum("agree_count") + Sum("disagree_count") + Sum("pass_count"))
    )
    return {r["call_id"]: r for r in rows}


def _call_row(request, call, now, figures):
    row = figures.get(call.pk, {})
    return {
        "id": call.pk, "slug": call.slug, "title": call.title, "url": call.get_url(request) or "",
        "phase": phases.current_phase(call, now), "submission_opens": call.submission_opens,
        "submission_closes": call.submission_closes, "review_closes": call.review_closes,
        "shortlist_closes": call.shortlist_closes, "voting_mode": call.voting_mode,
        "participation": {"ideas": call.idea_count, "comments": row.get("comments") or 0,
                          "votes": row.get("votes") or 0},
        "data_attribution": call.data_attribution,
    }


def missions(request, query: Query[MissionListIn]):
    params.only(request.GET, {"page", "updated_since"})
    since = params.since(query.updated_since)
    qs = data.public_missions().order_by("path")
    if since:
        qs = qs.filter(last_published_at__gte=since)
    count = qs.count()
    pages = _page_number(query.page, count)
    rows = list(
        qs[(query.page - 1) * PAGE_SIZE: query.page * PAGE_SIZE]
        .prefetch_related("learning_questions", "metrics__points")
    )
    step = ChallengeCallPage.steplen
    calls = list(
        data.public_calls()
        .filter(Q(*[Q(path__startswith=m.path) for m in rows], _connector=Q.OR) if rows else Q(pk__in=[]))
        .order_by("submission_opens", "pk")
    )
    figures = _participation([c.pk for c in calls])
    now = timezone.now()
    by_mission = {}
    for call in calls:
        by_mission.setdefault(call.path[:-step], []).append(_call_row(request, call, now, figures))
    results = []
    for m in rows:
        results.append({
            "id": m.pk, "slug": m.slug, "title": m.title, "goal": m.goal, "url": m.get_url(request) or "",
            "owner_name": m.owner_name, "owner_role": m.owner_role,
            "learning_questions": [{"question": q.question, "status": q.status, "answer": q.answer}
                                   for q in m.learning_questions.all()],
            "metrics": [{
                "name": x.name, "unit": x.unit, "direction": x.direction, "baseline": x.baseline,
                "baseline_date": x.baseline_date, "target": x.target, "target_date": x.target_date,
                "points": [{"date": p.date, "value": p.value, "source": p.source, "commentary": p.commentary}
                           for p in x.points.all()],
            } for x in m.metrics.all()],
            "calls": by_mission.get(m.path, []),
        })
    return {"count": count, "page": query.page, "pages": pages, "results": results}


def call_ideas(request, call_id: PathId, query: Query[IdeaListIn]):
    params.only(request.GET, {"page", "sort"})
    call = data.public_calls().filter(pk=call_id).first()
    if call is None:
        raise Http404("No such call.")
    if query.sort not in SORTS:
        raise Refused(f"sort must be one of {', '.join(SORTS)}.", field="sort", status=422, code="invalid")
    qs = public_ideas().filter(call=call)
    count = call.idea_count  # the counter, kept with every publish and hide
    pages = _page_number(query.page, count)
    ideas = qs.order_by(*SORTS[query.sort])[(query.page - 1) * PAGE_SIZE: query.page * PAGE_SIZE]
    return {
        "call": call.pk, "count": count, "page": query.page, "pages": pages,
        "data_attribution": call.data_attribution,
        "results": [idea_record(i) for i in ideas],  # IdeaRowOut keeps its fields
    }


# --- the read API over every kind (issue #17) -----------------------------
#
# Every list answers {count, page, pages, results}, 50 a page, in a fixed
# number of queries whatever the size. Filters are query parameters; one an
# endpoint does not take, an id that is not a number or a date that is not
# a date is a 400 naming it (opendata/params.py). What "updated since" means
# for each kind is in opendata/data.py and docs/open-data.md.

ID_FILTER = {"pattern": "^[0-9]{1,18}$"}
_SINCE_EXAMPLES = ["2026-01-31", "2026-01-31T09:00:00Z"]


def _mission_filter():
    return Field(None, description="Only this mission's (its id, as in /missions).", examples=["3"],
                 json_schema_extra=ID_FILTER)


def _call_filter():
    return Field(None, description="Only this call's (its id, as in /calls).", examples=["12"],
                 json_schema_extra=ID_FILTER)


def _status_filter():
    return Field(None, description="Only ideas with this status: " + ", ".join(params.STATUSES) + ".",
                 examples=["shortlisted"], json_schema_extra={"enum": list(params.STATUSES)})


def _since_filter(what):
    return Field(None, description=f"Only {what} since {params.DATE_HELP}.", examples=_SINCE_EXAMPLES)


class CallListIn(PageIn):
    mission: str | None = _mission_filter()
    updated_since: str | None = _since_filter("calls whose page was published")


class OpenIdeaListIn(PageIn):
    mission: str | None = _mission_filter()
    call: str | None = _call_filter()
    status: str | None = _status_filter()
    updated_since: str | None = _since_filter("ideas edited, given a status or answered by the team")


class CommentListIn(PageIn):
    mission: str | None = _mission_filter()
    call: str | None = _call_filter()
    updated_since: str | None = _since_filter("comments written or edited")


class TallyListIn(OpenIdeaListIn):
    updated_since: str | None = _since_filter("ideas voted on or changed")


class MetricListIn(PageIn):
    mission: str | None = _mission_filter()
    updated_since: str | None = _since_filter("metrics whose mission page was published")


class ParticipationIn(Schema):
    mission: str | None = Field(None, description="A mission's id: the counts over all its calls. "
                                "Give mission or call.", examples=["3"], json_schema_extra=ID_FILTER)
    call: str | None = _call_filter()


def _example(value):
    return ConfigDict(json_schema_extra={"examples": [value]})


class CallRowOut(CallOut):
    model_config = _example({
        "id": 12, "mission": 3, "slug": "cheaper-heat", "title": "Cheaper heat at home",
        "url": "/missions/clean-energy/calls/cheaper-heat/", "phase": "submission",
        "submission_opens": "2026-01-05T09:00:00Z", "submission_closes": "2026-02-05T17:00:00Z",
        "review_closes": "2026-03-05T17:00:00Z", "shortlist_closes": "2026-04-05T17:00:00Z",
        "voting_mode": "support", "participation": {"ideas": 41, "comments": 120, "votes": 815},
        "data_attribution": ""})
    mission: int | None


class CallListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[CallRowOut]


class OpenIdeaOut(Schema):
    model_config = _example({
        "id": 101, "call": 12, "url": "/ideas/101/", "title": "Heat pump lending library",
        "summary": "Try a heat pump for a month before you buy.", "status": "shortlisted",
        "organisation": "Warm Homes CIC", "sector": "Energy", "tags": ["heat", "homes"],
        "support_count": 52, "agree_count": 0, "disagree_count": 0, "pass_count": 0, "comment_count": 7,
        "team_response": "We will pilot this in two regions.", "team_response_at": "2026-03-01T10:00:00Z",
        "created_at": "2026-01-10T12:00:00Z", "updated_at": "2026-03-01T10:00:00Z", "data_attribution": ""})
    id: int
    call: int
    url: str
    title: str
    summary: str
    status: str
    organisation: str
    sector: str
    tags: list[str]
    support_count: int
    agree_count: int
    disagree_count: int
    pass_count: int
    comment_count: int
    team_response: str
    team_response_at: datetime | None
    created_at: datetime
    updated_at: datetime
    data_attribution: str = Field(description="Source and licence of imported open data (such as a Pol.is "
                                  "conversation); empty for ideas submitted here.")


class OpenIdeaListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[OpenIdeaOut]


class OpenCommentOut(Schema):
    model_config = _example({
        "id": 907, "idea": 101, "call": 12, "parent": None, "url": "/ideas/101/#comment-907",
        "author": "A participant", "body": "Our village hall could host one.", "support_count": 3,
        "created_at": "2026-01-11T08:30:00Z", "edited_at": None, "data_attribution": ""})
    id: int
    idea: int
    call: int
    parent: int | None
    url: str
    author: str = Field(description="The public display name; “A participant” for a comment posted without a name.")
    body: str = Field(description="The comment as written (Markdown).")
    support_count: int
    created_at: datetime
    edited_at: datetime | None
    data_attribution: str


class OpenCommentListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[OpenCommentOut]


class TallyRowOut(Schema):
    model_config = _example({"idea": 101, "call": 12, "title": "Heat pump lending library", "status": "shortlisted",
                             "support": 52, "agree": 0, "disagree": 0, "pass": 0, "comments": 7,
                             "data_attribution": ""})
    idea: int
    call: int
    title: str
    status: str
    support: int
    agree: int
    disagree: int
    pass_: int = Field(alias="pass")
    comments: int
    data_attribution: str


class TallyListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[TallyRowOut]


class MetricRowOut(MetricOut):
    model_config = _example({
        "id": 5, "mission": 3, "name": "Homes with a heat pump", "unit": "%", "direction": "up", "baseline": 1.5,
        "baseline_date": "2024-01-01", "target": 10.0, "target_date": "2030-12-31",
        "points": [{"date": "2025-06-30", "value": 2.1, "source": "ONS", "commentary": "Ahead of plan."}]})
    id: int
    mission: int


class MetricListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[MetricRowOut]


class CategoryCountOut(Schema):
    category: str
    ideas: int | None = Field(description="null when not shown: fewer than 5, or withheld because a total beside it would give a count under 5 back (so no one can be picked out).")


class QuestionCountOut(Schema):
    question: str
    ideas: int


class WeekOut(Schema):
    week: str = Field(description="The Monday the week starts (ISO date).")
    ideas: int | None = Field(description="null when not shown: fewer than 5, or withheld because a total beside it would give a count under 5 back (so no one can be picked out).")
    comments: int | None = Field(description="null when not shown: fewer than 5, or withheld because a total beside it would give a count under 5 back (so no one can be picked out).")
    votes: int | None = Field(description="null when not shown: fewer than 5, or withheld because a total beside it would give a count under 5 back (so no one can be picked out).")
    participants: int | None = Field(description="Distinct people active that week; null when fewer than 5.")


class ParticipationCountsOut(Schema):
    model_config = _example({
        "mission": 3, "call": 12, "computed_at": "2026-02-01T09:00:00Z",
        "totals": {"ideas": 41, "comments": 120, "votes": 815, "participants": 390}, "individuals": 22,
        "by_type": [{"category": "business", "ideas": 12}, {"category": "charity", "ideas": None}],
        "by_size": [{"category": "small", "ideas": 9}], "by_business_size": [{"category": "small", "ideas": 7}],
        "by_region": [{"category": "wales", "ideas": None}, {"category": "london", "ideas": None}],
        "learning_questions": [{"question": "What makes people switch?", "ideas": 6}],
        "weeks": [{"week": "2026-01-05", "ideas": 14, "comments": 30, "votes": 200, "participants": 95}],
        "data_attribution": ""})
    mission: int
    call: int | None
    computed_at: datetime = Field(description="When the counts were computed (at most a minute or so old).")
    totals: dict[str, int | None] = Field(description="Ideas, comments, votes and people taking part; a total "
                                          "is null when fewer than 5 or when it would give a count under 5 back.")
    individuals: int | None = Field(description="Ideas submitted as individuals; null when not shown: fewer than 5, or withheld because a total beside it would give a count under 5 back (so no one can be picked out).")
    by_type: list[CategoryCountOut]
    by_size: list[CategoryCountOut] = Field(description="Ideas from organisations of every type, by size.")
    by_business_size: list[CategoryCountOut] = Field(description="Ideas from businesses alone, by size: what the "
                                                     "reference of UK businesses by size describes.")
    by_region: list[CategoryCountOut]
    learning_questions: list[QuestionCountOut]
    weeks: list[WeekOut]
    data_attribution: str


def _paged(qs, page):
    count = qs.count()
    pages = _page_number(page, count)
    return count, pages, qs[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]


def _scope(mission_value=None, call_value=None):
    mission_id = params.identifier("mission", mission_value)
    call_id = params.identifier("call", call_value)
    mission = data.mission_by_id(mission_id) if mission_id else None
    call = data.call_by_id(call_id) if call_id else None
    return data.Scope(mission=mission, call=call)


def calls(request, query: Query[CallListIn]):
    params.only(request.GET, {"page", "mission", "updated_since"})
    mission_id = params.identifier("mission", query.mission)
    since = params.since(query.updated_since)
    qs = data.public_calls().order_by("path")
    if mission_id:
        qs = qs.filter(path__startswith=data.mission_by_id(mission_id).path)
    if since:
        qs = qs.filter(last_published_at__gte=since)
    count, pages, rows = _paged(qs, query.page)
    rows = list(rows)
    step = ChallengeCallPage.steplen
    parents = dict(MissionPage.objects.filter(path__in={c.path[:-step] for c in rows}).values_list("path", "pk"))
    figures = _participation([c.pk for c in rows])
    now = timezone.now()
    results = [{**_call_row(request, c, now, figures), "mission": parents.get(c.path[:-step])} for c in rows]
    return {"count": count, "page": query.page, "pages": pages, "results": results}


def ideas_list(request, query: Query[OpenIdeaListIn]):
    params.only(request.GET, {"page", "mission", "call", "status", "updated_since"})
    scope = _scope(query.mission, query.call)
    qs = data.ideas(scope, params.status(query.status), params.since(query.updated_since))
    count, pages, rows = _paged(qs, query.page)
    return {"count": count, "page": query.page, "pages": pages, "results": [data.idea_row(i, scope) for i in rows]}


def comments_list(request, query: Query[CommentListIn]):
    params.only(request.GET, {"page", "mission", "call", "updated_since"})
    scope = _scope(query.mission, query.call)
    qs = data.comments(scope, params.since(query.updated_since))
    count, pages, rows = _paged(qs, query.page)
    return {"count": count, "page": query.page, "pages": pages,
            "results": [data.comment_row(c, scope) for c in rows]}


def tallies_list(request, query: Query[TallyListIn]):
    params.only(request.GET, {"page", "mission", "call", "status", "updated_since"})
    scope = _scope(query.mission, query.call)
    qs = data.tallies(scope, params.status(query.status), params.since(query.updated_since))
    count, pages, rows = _paged(qs, query.page)
    return {"count": count, "page": query.page, "pages": pages, "results": [data.tally_row(i, scope) for i in rows]}


def metrics_list(request, query: Query[MetricListIn]):
    params.only(request.GET, {"page", "mission", "updated_since"})
    mission_id = params.identifier("mission", query.mission)
    since = params.since(query.updated_since)
    missions_qs = data.public_missions()
    if mission_id:
        missions_qs = missions_qs.filter(pk=data.mission_by_id(mission_id).pk)
    if since:
        missions_qs = missions_qs.filter(last_published_at__gte=since)
    count, pages, rows = _paged(data.metrics(missions_qs), query.page)
    return {"count": count, "page": query.page, "pages": pages, "results": [data.metric_row(m) for m in rows]}


def participation(request, query: Query[ParticipationIn]):
    params.only(request.GET, {"mission", "call"})
    mission_id = params.identifier("mission", query.mission)
    call_id = params.identifier("call", query.call)
    if not mission_id and not call_id:
        raise params.bad("mission", "Give mission (a mission's id) or call (a call's id).")
    call = data.call_by_id(call_id) if call_id else None
    if call is not None:
        mission = call.get_parent().specific
        if mission_id and mission.pk != mission_id:
            raise params.bad("call", f"Call {call_id} is not one of mission {mission_id}'s calls.")
    else:
        mission = data.mission_by_id(mission_id)
    return data.participation(mission, call)


TAGS = ["Open data"]


def register(api, errors):
    """On the API itself, not a router: POST /calls/{id}/ideas is there, and
    ninja answers one path from one router. Called once, by cms/urls.py.

    The operation ids are those the schema has always published (ninja
    derives them from the module, which was consult/open_data.py): clients
    generated from /api/schema name their functions after them. The pilots'
    operations come after these (opendata/routes.py)."""
    tags = TAGS
    api.get("/missions", response={200: MissionPageOut, **errors}, auth=None, tags=tags,
            operation_id="consult_open_data_missions",
            summary="Missions: learning questions, outcome metrics, calls and participation")(missions)
    api.get("/calls/{call_id}/ideas", response={200: IdeaPageOut, **errors}, auth=None, tags=tags,
            operation_id="consult_open_data_call_ideas",
            summary="A call's public ideas, 50 a page")(call_ideas)
    listing = "50 a page, filtered by query parameters; an unknown parameter or a malformed value is a 400 naming it."
    for path, view, out, summary in (
        ("/calls", calls, CallListOut, "Calls, with their phases and participation"),
        ("/ideas", ideas_list, OpenIdeaListOut, "Public ideas, with tallies and the team's response"),
        ("/comments", comments_list, OpenCommentListOut, "Public comments, by public display name"),
        ("/tallies", tallies_list, TallyListOut, "Each public idea's votes and comments, counted"),
        ("/metrics", metrics_list, MetricListOut, "Missions' outcome metrics, every data point with commentary"),
    ):
        api.get(path, response={200: out, **errors}, auth=None, tags=tags, operation_id=f"open_data_{view.__name__}",
                summary=summary, description=listing, by_alias=out is TallyListOut)(view)  # "pass" is a keyword
    api.get("/participation", response={200: ParticipationCountsOut, **errors}, auth=None, tags=tags,
            operation_id="open_data_participation", summary="Who takes part, for a mission or a call",
            description="The participation dashboard's counts (stored, at most about a minute old). Breakdowns "
            "of who took part are null when fewer than 5, so no one can be picked out.")(participation)
