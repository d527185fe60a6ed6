"""Challenge prizes' published results in the read API (issue #28): GET
/prize-results, who advanced and what was awarded, stage by stage, once the
team published it. The same rules as the rest of open data: 50 a page, an
unknown parameter or a malformed value is a 400 naming it, only public
prizes (consult/visibility.py). Never a score, an assessor or an
application not taken forward (prizes/results.py decides that once)."""

from datetime import datetime

from ninja import Field, Query, Schema

from consult.visibility import public_pages
from prizes import results
from prizes.models import PrizeCallPage

from . import data, params
from .api import PageIn, _call_filter, _example, _mission_filter, _paged


class PrizeResultsIn(PageIn):
    mission: str | None = _mission_filter()
    call: str | None = _call_filter()


class PrizeResultOut(Schema):
    model_config = _example({
        "prize": 31, "prize_title": "Harbour Heat Prize", "url": "/missions/clean-energy/calls/harbour-heat-prize/",
        "stage": "3f2a…", "stage_name": "Discovery", "published_at": "2026-12-01T10:00:00Z",
        "outcome": "awarded", "outcome_label": "Awarded", "name": "Tidal Kites Ltd",
        "award": "A discovery award of £25,000"})
    prize: int
    prize_title: str
    url: str
    stage: str
    stage_name: str
    published_at: datetime | None
    outcome: str = Field(description="advanced or awarded (nothing else is published).")
    outcome_label: str
    name: str = Field(description="The organisation applied for, else the applicant's public name.")
    award: str


class PrizeResultListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PrizeResultOut]


def prize_results(request, query: Query[PrizeResultsIn]):
    params.only(request.GET, {"page", "mission", "call"})
    prizes = public_pages(PrizeCallPage)
    mission_id = params.identifier("mission", query.mission)
    call_id = params.identifier("call", query.call)
    if mission_id:
        prizes = prizes.descendant_of(data.mission_by_id(mission_id))
    if call_id:
        prizes = prizes.filter(pk=data.call_by_id(call_id).pk)
    count, pages, rows = _paged(results.public_result_rows(list(prizes.values_list("pk", flat=True))), query.page)
    return {"count": count, "page": query.page, "pages": pages, "results": results.public_rows(rows)}


def register(api, errors, tags):
    api.get("/prize-results", response={200: PrizeResultListOut, **errors}, auth=None, tags=tags,
            operation_id="open_data_prize_results_list",
            summary="Challenge prizes: who advanced and what was awarded, once published",
            description="50 a page, filtered by query parameters; an unknown parameter or a malformed value is a "
            "400 naming it. Only decisions the team published, and only those advanced or awarded: never a "
            "score, an assessor or an application not taken forward.")(prize_results)
