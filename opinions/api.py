"""GET /api/v1/calls/{call_id}/opinion-map: a call's opinion map as stored,
without sign-in, for public calls only: its groups with the ideas that set
each apart (shares inside and outside the group), the "agreed across groups"
order, every idea's tallies overall and per group with smoothed shares, the
statements about the participant group by group, and the points of the map
(without who is who). Read from the snapshot (opinions/selectors.py), never
computed in the request.

The operation goes on the participation API itself (ideas.api.api), like the
open data operations: cms/urls.py calls `register`, since ideas, below
opinions, may not import it."""

from datetime import datetime

from django.http import Http404
from ninja import Schema

from consult.models import ChallengeCallPage
from consult.visibility import public_pages
from inputs.refusals import Refused
from ideas.validation import PathId, only_parameters

from . import selectors
from .services import no_map_reason


# Tallies: {"agree", "disagree", "pass", "n"} counts with, inside and outside
# a group, "shares" (raw, beside n); an idea's "overall" and per-group entries:
# "n", raw "agree" / "disagree" / "pass" shares, and Pol.is's smoothed
# "smoothed_agree" / "smoothed_disagree" ((1 + votes) / (2 + n)).
Tally = dict[str, int | dict[str, float]]
Shares = dict[str, int | float]


class RepresentativeOut(Schema):
    idea: int
    title: str
    direction: str
    significant: bool
    # significant and voted on by at least min_distinctive_votes of the group's members:
    # only then do the pages say it sets the group apart
    distinctive: bool
    best_agree: bool
    p_success: float
    repness: float
    repness_test: float
    p_test: float
    inside: Tally
    outside: Tally


class GroupOut(Schema):
    id: int
    # everyone in the group, the number the results page and its map give:
    # size (who voted on enough ideas to shape it) + n_placed (placed with it, fewer votes)
    n_participants: int
    size: int
    n_placed: int
    centroid: list[float]
    representative: list[RepresentativeOut]


class IdeaVotesOut(Schema):
    idea: int
    title: str
    consensus: float | None
    support: float | None
    overall: Shares | None
    groups: dict[str, Shares]


class PointOut(Schema):
    x: float
    y: float
    group: int | None
    in_model: bool


class OpinionMapOut(Schema):
    call: int
    computed_at: datetime | None
    n_votes: int
    n_participants: int
    n_in_model: int
    min_distinctive_votes: int
    reason: str | None
    groups: list[GroupOut]
    agreed_across_groups: list[int]
    most_supported: list[int]
    divided: list[int]
    ideas: list[IdeaVotesOut]
    about_participant: list[IdeaVotesOut]
    points: list[PointOut]


def opinion_map(request, call_id: PathId):
    only_parameters(request.GET, set())
    call = public_pages(ChallengeCallPage).filter(pk=call_id).first()
    if call is None:
        raise Http404("No such call.")
    reason = no_map_reason(call)
    if reason is not None:
        raise Refused(reason, status=404, code="no_opinion_map")
    return selectors.public_map(call)


def register(api, errors):
    """Called once, by cms/urls.py, beside the open data operations."""
    api.get("/calls/{call_id}/opinion-map", response={200: OpinionMapOut, **errors}, auth=None,
            tags=["Open data"], operation_id="opinions_call_opinion_map",
            summary="A call's opinion map: groups, what sets each apart, consensus across groups, "
                    "tallies per group")(opinion_map)
