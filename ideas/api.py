"""The participation actions as JSON under /api/v1/, through the same
service functions as the HTML views. Authenticated by the session (with the
CSRF token) or by a personal access token (Authorization: Bearer mc_…).

Whatever a stranger sends gets a 4xx in the one error shape, never a 500:
bodies must be JSON objects of bounded size, ids are bounded to the 64-bit
keys they name, strings refuse NUL, and the OpenAPI schema at /api/schema
declares these limits (tests/test_api_schema_fuzz.py holds it to that)."""

import json
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import StrictBool

from consult.models import ChallengeCallPage
from inputs.refusals import SIGNED_OUT_CODE, Refused, require

from . import restrictions, search_views, selectors
from .services import base, comments, follows, submissions, tokens, votes
from .ratelimits import enforce as rate_limit
from .models import ApiToken, Comment, Vote
from .rules import can
from .serializers import idea_record
from .validation import Id, PathId, text


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        tokens.note_token_use(row)
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """Django's session, with the CSRF check ninja applies to cookie auth.

    Only for someone signed in who sent no Authorization header: ninja ran
    the CSRF check first, so a script with a missing or revoked token was
    told "CSRF check failed" (403) instead of the documented 401."""

    param_name = "sessionid"

    def __call__(self, request):
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            return request.user
        return None


class BodyError(ValueError):
    """A request body that is not a JSON object: `false`, `[]` or `"x"` were
    read as "all defaults" (`false` to /follow followed the idea)."""


class JsonObjectParser(Parser):
    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError):
            raise BodyError("The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise BodyError(f"The request body must be a JSON object ({{...}}), not {self._json_kind(data)}.")
        return data

    @staticmethod
    def _json_kind(data):
        if data is None:
            return "null"
        if isinstance(data, bool):
            return "true or false"
        return {list: "an array", str: "a string"}.get(type(data), "a number")


api = NinjaAPI(
    title="Mission Commons API",
    version="1",
    description="Open data without sign-in (missions, outcome metrics, calls with participation figures, a "
    "call's public ideas), and the participation actions as on the site: submit, edit, comment, vote and "
    'follow. Errors are JSON: {"error": {"code", "message", "field"}}.',
    auth=[BearerToken(), SessionAuth(csrf=True)],
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url=None,
    parser=JsonObjectParser(),
)


def _error(request, status, code, message, field=None):
    return api.create_response(request, {"error": {"code": code, "message": message, "field": field}}, status=status)


@api.exception_handler(Refused)
def action_error(request, exc):
    return api.create_response(request, exc.as_json(), status=exc.status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    first = exc.errors[0] if exc.errors else {}
    # ninja's loc is (source, parameter, field...): ("body", "payload", "body")
    # names the comment's body field, ("query", "page") the page.
    loc = [str(part) for part in first.get("loc", [])]
    if loc[:1] in (["body"], ["query"], ["path"], ["header"], ["cookie"]):
        loc = loc[1:]
    if loc[:1] in (["payload"], ["query"]):
        loc = loc[1:]
    message = first.get("msg", "Invalid input.")
    if not loc and first.get("type") == "missing":
        message = "The request body is missing: send a JSON object."
    return _error(request, 422, "invalid", message, ".".join(loc) or None)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    """401 with WWW-Authenticate (RFC 6750), saying what was wrong."""
    header = request.headers.get("Authorization")
    if header is None:
        message, challenge = "Sign in, or send Authorization: Bearer <your token>.", 'Bearer realm="api"'
    elif header.split(" ")[0].lower() != "bearer" or not header[7:].strip():
        message = "Send your token as Authorization: Bearer <your token>."
        challenge = 'Bearer realm="api", error="invalid_request"'
    else:
        message = "This token is not valid: it may have been revoked. Create a new one at /accounts/tokens/."
        challenge = 'Bearer realm="api", error="invalid_token"'
    response = _error(request, 401, SIGNED_OUT_CODE, message)
    response["WWW-Authenticate"] = challenge
    return response


# Site-wide answers (503 when the database is busy, 413 for a body too large
# to read) are the server's concern: cms wires them onto this API in
# cms/urls.py, since ideas sits below cms (docs/architecture.md).


@api.exception_handler(HttpError)
def http_error(request, exc):
    if isinstance(exc.__cause__, BodyError):  # ninja wraps the parser's error
        return _error(request, 400, "invalid_body", str(exc.__cause__))
    if exc.status_code == 403 and "CSRF" in str(exc):
        return _error(request, 403, "csrf_failed", "CSRF check failed: send the csrftoken cookie's value as "
                      "X-CSRFToken, or use Authorization: Bearer <your token>.")
    return _error(request, exc.status_code, "error", str(exc))


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorBody


# Lengths are the services' limits, declared here for clients; the services
# enforce them (400, with a message naming the field and the length).
class IdeaIn(Schema):
    title: text(base.TITLE_MAX, required=True)
    summary: text(base.SUMMARY_MAX, required=True)
    body: text(base.BODY_MAX, required=True)
    tags: Annotated[list[text(base.TAG_MAX)], Field(json_schema_extra={"maxItems": base.TAGS_MAX})] = []
    learning_questions: list[Id] = []
    organisation_id: Id | None = Field(
        None, description="The organisation the idea is submitted for; you must be one of its members. "
        "Leave out to submit as yourself."
    )
    anonymous: bool = Field(False, description="Show the idea as by “A participant” (only where the call allows it, "
                            "and not with organisation_id: an idea for an organisation shows your name).")


class IdeaEditIn(Schema):
    title: text(base.TITLE_MAX, required=True)
    summary: text(base.SUMMARY_MAX, required=True)
    body: text(base.BODY_MAX, required=True)
    tags: Annotated[list[text(base.TAG_MAX)], Field(json_schema_extra={"maxItems": base.TAGS_MAX})] | None = None


class TallyOut(Schema):
    support: int
    agree: int
    disagree: int
    pass_: int


class IdeaOut(Schema):
    id: int
    call: int
    title: str
    summary: str
    body_html: str
    status: str
    visibility: str
    url: str
    support_count: int
    agree_count: int
    disagree_count: int
    pass_count: int
    comment_count: int

    @staticmethod
    def from_idea(idea):
        return idea_record(idea)  # the fields above; the schema leaves out the rest


class CommentIn(Schema):
    body: text(base.COMMENT_MAX, required=True)
    parent: Id | None = None
    anonymous: bool = Field(False, description="Show the comment as by “A participant” (only where the call allows it).")


class CommentOut(Schema):
    id: int
    idea: int
    parent: int | None
    body_html: str
    visibility: str = Field(description="“published”, or “pending” while it awaits a moderator (a pre-moderated "
                                        "call, or held by the automatic checks): only you and the mission's "
                                        "moderators see it until then.")


class VoteIn(Schema):
    value: Literal["support", "agree", "disagree", "pass"] = "support"


class FollowIn(Schema):
    follow: StrictBool = True  # 0, "no" or "off" are not a yes/no: 422, not a guess


class OkOut(Schema):
    ok: bool


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut,
          429: ErrorOut, 503: ErrorOut}


def _idea(request, idea_id):
    idea = selectors.get_idea_for(request.user, idea_id)
    if idea is None or restrictions.response_for(request, idea.call) is not None:
        raise Http404("No such idea.")
    return idea


@api.post("/calls/{call_id}/ideas", response={201: IdeaOut, **ERRORS}, summary="Submit an idea to a call")
def submit(request, call_id: PathId, payload: IdeaIn):
    call = ChallengeCallPage.objects.filter(pk=call_id).first()
    if call is None or not can(request.user, "ideas.view_call", call):
        raise Http404("No such call.")
    rate_limit(request, "idea")
    idea = submissions.submit_idea(request.user, call, **payload.dict())
    return Status(201, IdeaOut.from_idea(idea))


@api.get("/ideas/{idea_id}", response={200: IdeaOut, **ERRORS}, auth=None, summary="Read an idea")
def read_idea(request, idea_id: PathId):
    return IdeaOut.from_idea(_idea(request, idea_id))


@api.patch("/ideas/{idea_id}", response={200: IdeaOut, **ERRORS}, summary="Edit your idea")
def edit(request, idea_id: PathId, payload: IdeaEditIn):
    idea = _idea(request, idea_id)
    require(request.user, "ideas.change_idea", idea)
    rate_limit(request, "edit")
    idea = submissions.edit_idea(request.user, idea, **payload.dict())
    return IdeaOut.from_idea(idea)


@api.post("/ideas/{idea_id}/comments", response={201: CommentOut, **ERRORS}, summary="Comment on an idea")
def comment(request, idea_id: PathId, payload: CommentIn):
    idea = _idea(request, idea_id)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(pk=payload.parent, idea=idea).first()
        if parent is None:
            raise Refused("The comment you replied to is no longer available.", field="parent", status=409, code="gone")
    rate_limit(request, "comment")
    row = comments.add_comment(request.user, idea, payload.body, parent=parent, anonymous=payload.anonymous)
    return Status(201, {"id": row.pk, "idea": idea.pk, "parent": row.parent_id, "body_html": row.body_html,
                        "visibility": row.visibility})


@api.post("/ideas/{idea_id}/vote", response={200: IdeaOut, **ERRORS}, summary="Vote on an idea")
def vote(request, idea_id: PathId, payload: VoteIn):
    rate_limit(request, "vote")
    idea = votes.cast_vote(request.user, _idea(request, idea_id), payload.value or Vote.SUPPORT)
    return IdeaOut.from_idea(idea)


@api.delete("/ideas/{idea_id}/vote", response={200: IdeaOut, **ERRORS}, summary="Withdraw your vote")
def unvote(request, idea_id: PathId):
    idea = votes.remove_vote(request.user, _idea(request, idea_id))
    return IdeaOut.from_idea(idea)


@api.post("/ideas/{idea_id}/follow", response={200: OkOut, **ERRORS}, summary="Follow or unfollow an idea")
def follow(request, idea_id: PathId, payload: FollowIn):
    idea = _idea(request, idea_id)
    if payload.follow:
        follows.follow(request.user, idea=idea)
    else:
        follows.unfollow(request.user, idea=idea)
    return {"ok": True}



# --- search -------------------------------------------------------------------


class SearchHitOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    context: str
    snippet_html: str  # escaped text with <mark> around the matches
    status: str
    organisation: str
    # How the hit is voted on: "support", "agree" (agree, disagree or pass:
    # read agree_count, disagree_count and pass_count, not support_count) or
    # "" (missions, calls, pages, ideas in calls without voting).
    voting: str
    support_count: int
    agree_count: int
    disagree_count: int
    pass_count: int
    mission_id: int | None
    call_id: int | None
    published_at: str | None


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    query: str
    corrected: str
    notice: str
    total: int
    # A broad query is counted up to a limit (docs/search.md, "Broad queries"):
    # then there are more than `total` results, each facet count is a lower
    # bound, and relevance ranked only `ranked_among` of them in full (0: all).
    total_is_lower_bound: bool
    facets_are_lower_bounds: bool
    ranked_among: int
    page: int
    last_page: int
    per_page: int
    results: list[SearchHitOut]
    facets: dict[str, list[FacetValueOut]]


@api.get("/search", response={200: SearchOut, **ERRORS}, auth=None,
         summary="Search public ideas, comments, missions, calls and pages",
         description="Parameters as on the /search/ page: q (required; quoted phrases, -exclusion, OR), "
         "type (idea, comment, mission, call, page), mission, call (ids), status, sector, org_type, "
         "sort (relevance, newest, supported), page (from 1; at most 10,000 results deep).")
def search(request, q: text(search_views.MAX_QUERY * 5) = "", type: text(20) = "", mission: text(30) = "",
           call: text(30) = "", status: text(100) = "", sector: text(100) = "", org_type: text(100) = "",
           sort: text(20) = "relevance", page: text(30) = "1"):
    rate_limit(request, "search")
    if len(q) > search_views.MAX_QUERY * 5:
        # The schema's maxLength; the page cuts a long query with a note instead.
        raise Refused(f"Search text must be {search_views.MAX_QUERY * 5:,} characters or fewer (it is {len(q):,}).",
                          field="q")
    params = search_views.read_params(request.GET)
    if params.errors:
        name, message = next(iter(params.errors.items()))
        raise Refused(message, field=name)
    if not params.text:
        raise Refused("Type a word or phrase to search for (the q parameter).", field="q")
    results = search_views.run(params)
    if results.error:
        raise Refused(results.error, field="q")
    options = search_views.facet_options(results)
    return {
        "query": params.text,
        "corrected": results.corrected,
        "notice": " ".join(params.notes + ([results.notice] if results.notice else [])),
        "total": results.total,
        "total_is_lower_bound": results.total_is_lower_bound,
        "facets_are_lower_bounds": results.facets_are_lower_bounds,
        "ranked_among": results.ranked_among if params.sort == "relevance" else 0,
        "page": params.page,
        "last_page": search_views.last_page(results),
        "per_page": search_views.PER_PAGE,
        "results": [
            {
                "kind": hit.kind, "id": hit.id, "title": hit.title, "url": hit.url, "context": hit.context,
                "snippet_html": str(hit.snippet), "status": hit.status, "organisation": hit.organisation,
                "voting": hit.voting, "support_count": hit.support_count, "agree_count": hit.agree_count,
                "disagree_count": hit.disagree_count, "pass_count": hit.pass_count,
                "mission_id": hit.mission_id, "call_id": hit.call_id,
                "published_at": hit.published_at.isoformat() if hit.published_at else None,
            }
            for hit in results.hits
        ],
        "facets": {name: [{"value": v, "label": lbl, "count": n} for v, lbl, n in rows] for name, rows in options.items()},
    }
