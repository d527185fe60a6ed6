"""Open data, read-only and without sign-in, under /api/v1/: missions with
their learning questions, outcome metrics (every data point with the owner's
commentary) and calls with participation figures; a call's public ideas, page
by page. Everything here comes from the same visibility query as the pages,
so hidden content never appears, and from counters, not per-row counts.
An idea is the one record of ideas.serializers, as in the participation API
and the CSV.

The operations go on the participation API itself (ideas.api.api), with its
errors and docs; cms/urls.py calls `register` when it mounts that API, so
ideas never imports this app, which sits above it."""

from datetime import date, datetime
from typing import Literal

from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Schema

from consult import phases
from consult.models import ChallengeCallPage, MissionPage
from ideas.errors import ActionError
from ideas.selectors import CONSENSUS_SORT, ORDERINGS
from ideas.visibility import public_ideas
from ideas.serializers import idea_record
from ideas.validation import PathId

PAGE_SIZE = 50


class PointOut(Schema):
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
    points: list[PointOut]


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
        raise ActionError("page counts from 1.", field="page", status=422, code="invalid")
    if value > pages:
        raise ActionError(f"Page {value} does not exist: pages run from 1 to {pages}.", field="page", status=404,
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


def missions(request, query: Query[PageIn]):
    qs = MissionPage.objects.live().public().order_by("path")
    count = qs.count()
    pages = _page_number(query.page, count)
    rows = list(
        qs[(query.page - 1) * PAGE_SIZE: query.page * PAGE_SIZE]
        .prefetch_related("learning_questions", "metrics__points")
    )
    step = ChallengeCallPage.steplen
    calls = list(
        ChallengeCallPage.objects.live().public()
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
    call = ChallengeCallPage.objects.live().public().filter(pk=call_id).first()
    if call is None:
        raise Http404("No such call.")
    if query.sort not in SORTS:
        raise ActionError(f"sort must be one of {', '.join(SORTS)}.", field="sort", status=422, code="invalid")
    qs = public_ideas().filter(call=call)
    count = call.idea_count  # the counter, kept with every publish and hide
    pages = _page_number(query.page, count)
    ideas = qs.order_by(*SORTS[query.sort])[(query.page - 1) * PAGE_SIZE: query.page * PAGE_SIZE]
    return {
        "call": call.pk, "count": count, "page": query.page, "pages": pages,
        "data_attribution": call.data_attribution,
        "results": [idea_record(i) for i in ideas],  # IdeaRowOut keeps its fields
    }


def register(api, errors):
    """On the API itself, not a router: POST /calls/{id}/ideas is there, and
    ninja answers one path from one router. Called once, by cms/urls.py.

    The operation ids are those the schema has always published (ninja
    derives them from the module, which was consult/open_data.py): clients
    generated from /api/schema name their functions after them."""
    tags = ["Open data"]
    api.get("/missions", response={200: MissionPageOut, **errors}, auth=None, tags=tags,
            operation_id="consult_open_data_missions",
            summary="Missions: learning questions, outcome metrics, calls and participation")(missions)
    api.get("/calls/{call_id}/ideas", response={200: IdeaPageOut, **errors}, auth=None, tags=tags,
            operation_id="consult_open_data_call_ideas",
            summary="A call's public ideas, 50 a page")(call_ideas)
