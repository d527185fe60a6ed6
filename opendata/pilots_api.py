"""Pilots, their results and lessons, and the "you said, we did" ledger in
the read API (issue #18): GET /pilots, /pilots/{id} and /ledger, on the
participation API beside the other open data (opendata/api.py's `register`
calls `register` here). The same rules as the rest: 50 a page, an unknown
parameter or a malformed value is a 400 naming it, an id naming nothing
public is a 404, a fixed number of queries per page. Rows are
opendata/pilots_data.py's, the same as the downloads'."""

from datetime import date, datetime

from django.http import Http404
from ninja import Field, Query, Schema

from ideas.validation import PathId

from . import data, params, pilots_data
from .api import ID_FILTER, PageIn, _call_filter, _example, _mission_filter, _paged, _scope, _since_filter


def _pilot_status_filter():
    return Field(None, description="Only pilots with this status: " + ", ".join(pilots_data.STATUSES) + ".",
                 examples=["running"], json_schema_extra={"enum": list(pilots_data.STATUSES)})


class PilotListIn(PageIn):
    mission: str | None = _mission_filter()
    call: str | None = Field(None, description="Only pilots citing this call (its id, as in /calls).",
                             examples=["12"], json_schema_extra=ID_FILTER)
    status: str | None = _pilot_status_filter()
    updated_since: str | None = _since_filter("pilots whose page (results, lesson and decision included) was "
                                              "published")


class LedgerIn(PageIn):
    mission: str | None = _mission_filter()
    call: str | None = _call_filter()


class HypothesisOut(Schema):
    change: str
    outcome: str
    people: str
    sentence: str = Field(description="“We believe [change] will lead to [outcome] for [people], measured by "
                          "[measure].” Empty while a part is missing.")


class MeasureOut(Schema):
    name: str
    unit: str
    baseline: float | None
    target: float | None
    metric: int | None = Field(description="The mission's headline metric this is (its id, as in /metrics); "
                               "null for the pilot's own measure.")


class PilotResultOut(Schema):
    date: date
    value: float
    commentary: str
    source: str


PILOT_EXAMPLE = {
    "id": 40, "mission": 3, "title": "Named caseworkers in Leeds",
    "url": "/missions/clean-energy/pilots/named-caseworkers/", "summary": "One caseworker per family.",
    "hypothesis": {"change": "a named caseworker for each family", "outcome": "fewer missed appointments",
                   "people": "families with children under five",
                   "sentence": "We believe a named caseworker for each family will lead to fewer missed "
                               "appointments for families with children under five, measured by Missed "
                               "appointments."},
    "measure": {"name": "Missed appointments", "unit": "%", "baseline": 30.0, "target": 15.0, "metric": None},
    "learning_questions": [7], "calls": [12], "ideas": [101],
    "location": "Leeds", "starts_on": "2026-02-01", "ends_on": "2026-08-01", "status": "concluded",
    "lesson": "Families kept appointments when they knew who to call.", "decision": "scale",
    "decision_reason": "Missed appointments halved.",
    "first_published_at": "2026-01-20T10:00:00Z", "last_published_at": "2026-08-05T10:00:00Z",
    "results": [{"date": "2026-04-01", "value": 22.0, "commentary": "Early signs.", "source": "Clinic records"}],
}


class PilotOut(Schema):
    model_config = _example(PILOT_EXAMPLE)
    id: int
    mission: int
    title: str
    url: str
    summary: str
    hypothesis: HypothesisOut
    measure: MeasureOut
    learning_questions: list[int] = Field(description="The mission's learning questions it addresses (ids).")
    calls: list[int] = Field(description="The public calls it came from (ids, as in /calls).")
    ideas: list[int] = Field(description="The public ideas taken forward into it (ids, as in /ideas).")
    location: str
    starts_on: date | None
    ends_on: date | None
    status: str = Field(description="One of " + ", ".join(pilots_data.STATUSES) + ".")
    lesson: str
    decision: str = Field(description="scale, adapt or stop; empty until decided.")
    decision_reason: str
    first_published_at: datetime | None
    last_published_at: datetime | None
    results: list[PilotResultOut] = Field(description="Dated data points on the measure, oldest first.")


class PilotListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PilotOut]


class LedgerPilotOut(Schema):
    id: int
    title: str
    url: str
    status: str


class LedgerRowOut(Schema):
    model_config = _example({
        "idea": 101, "call": 12, "title": "Heat pump lending library", "url": "/ideas/101/",
        "status": "taken_forward", "outcome": "piloted", "outcome_label": "Piloted",
        "response": "We are testing this in Leeds.", "responded_at": "2026-03-01T10:00:00Z",
        "pilots": [{"id": 40, "title": "Named caseworkers in Leeds",
                    "url": "/missions/clean-energy/pilots/named-caseworkers/", "status": "running"}],
        "data_attribution": ""})
    idea: int
    call: int
    title: str
    url: str
    status: str
    outcome: str = Field(description="What became of it: " + ", ".join(pilots_data.OUTCOMES) + ".")
    outcome_label: str
    response: str = Field(description="The mission team's response, as plain text.")
    responded_at: datetime | None
    pilots: list[LedgerPilotOut] = Field(description="The public pilots it was taken forward into.")
    data_attribution: str


class LedgerListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[LedgerRowOut]


def pilots_list(request, query: Query[PilotListIn]):
    params.only(request.GET, {"page", "mission", "call", "status", "updated_since"})
    mission_id = params.identifier("mission", query.mission)
    call_id = params.identifier("call", query.call)
    mission = data.mission_by_id(mission_id) if mission_id else None
    call = data.call_by_id(call_id) if call_id else None
    status = query.status
    if status is not None and status not in pilots_data.STATUSES:
        raise params.bad("status", f"status must be one of {', '.join(pilots_data.STATUSES)}.")
    qs = pilots_data.pilots(mission, call, status, params.since(query.updated_since))
    count, pages, rows = _paged(qs, query.page)
    return {"count": count, "page": query.page, "pages": pages,
            "results": [pilots_data.pilot_row(p, request=request) for p in rows]}


def pilot_detail(request, pilot_id: PathId):
    params.only(request.GET, set())
    pilot = pilots_data.pilots(pk=pilot_id).first()
    if pilot is None:
        raise Http404("No such pilot.")
    return pilots_data.pilot_row(pilot, request=request)


def ledger_list(request, query: Query[LedgerIn]):
    params.only(request.GET, {"page", "mission", "call"})
    scope = _scope(query.mission, query.call)
    count, pages, rows = _paged(pilots_data.ledger_ideas(scope), query.page)
    return {"count": count, "page": query.page, "pages": pages,
            "results": [pilots_data.ledger_row(i, scope, request=request) for i in rows]}


def register(api, errors, tags):
    listing = "50 a page, filtered by query parameters; an unknown parameter or a malformed value is a 400 naming it."
    api.get("/pilots", response={200: PilotListOut, **errors}, auth=None, tags=tags,
            operation_id="open_data_pilots_list", description=listing,
            summary="Pilots: hypotheses, measures, results, lessons and decisions")(pilots_list)
    api.get("/pilots/{pilot_id}", response={200: PilotOut, **errors}, auth=None, tags=tags,
            operation_id="open_data_pilot_detail", summary="One pilot",
            description="A pilot that is not published (or whose mission is not) is a 404.")(pilot_detail)
    api.get("/ledger", response={200: LedgerListOut, **errors}, auth=None, tags=tags,
            operation_id="open_data_ledger_list", summary="“You said, we did”: what became of each public idea",
            description=listing + " One row per public idea, with its outcome (pilots/ledger.py) and the "
            "public pilots it was taken forward into.")(ledger_list)
