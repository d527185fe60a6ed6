"""The participation actions as JSON under /api/v1/, through the same
service functions as the HTML views. Authenticated by the session (with the
CSRF token) or by a personal access token (Authorization: Bearer mc_…)."""

from typing import Literal

from django.db import OperationalError
from django.http import Http404
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from cms.middleware import busy_response, database_busy
from consult.models import ChallengeCallPage

from . import selectors, services
from .errors import ActionError
from .ratelimits import enforce as rate_limit
from .models import ApiToken, Comment, Vote


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        services.note_token_use(row)
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """Django's session, with the CSRF check ninja applies to cookie auth."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            return request.user
        return None


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
)


def _error(request, status, code, message, field=None):
    return api.create_response(request, {"error": {"code": code, "message": message, "field": field}}, status=status)


@api.exception_handler(ActionError)
def action_error(request, exc):
    return api.create_response(request, exc.as_json(), status=exc.status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    first = exc.errors[0] if exc.errors else {}
    loc = [str(part) for part in first.get("loc", []) if part not in ("body", "payload", "query", "path")]
    return _error(request, 422, "invalid", first.get("msg", "Invalid input."), ".".join(loc) or None)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "not_authenticated", "Sign in, or send Authorization: Bearer <your token>.")


@api.exception_handler(OperationalError)
def database_error(request, exc):
    if database_busy(exc):
        return busy_response(request)
    raise exc


@api.exception_handler(HttpError)
def http_error(request, exc):
    return _error(request, exc.status_code, "error", str(exc))


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorBody


class IdeaIn(Schema):
    title: str
    summary: str
    body: str
    tags: list[str] = []
    learning_questions: list[int] = []
    organisation: str = ""
    organisation_sector: int | None = None


class IdeaEditIn(Schema):
    title: str
    summary: str
    body: str
    tags: list[str] | None = None


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
        return {
            "id": idea.pk,
            "call": idea.call_id,
            "title": idea.title,
            "summary": idea.summary,
            "body_html": idea.body_html,
            "status": idea.status,
            "visibility": idea.visibility,
            "url": idea.get_absolute_url(),
            "support_count": idea.support_count,
            "agree_count": idea.agree_count,
            "disagree_count": idea.disagree_count,
            "pass_count": idea.pass_count,
            "comment_count": idea.comment_count,
        }


class CommentIn(Schema):
    body: str
    parent: int | None = None


class CommentOut(Schema):
    id: int
    idea: int
    parent: int | None
    body_html: str


class VoteIn(Schema):
    value: Literal["support", "agree", "disagree", "pass"] = "support"


class FollowIn(Schema):
    follow: bool = True


class OkOut(Schema):
    ok: bool


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _idea(request, idea_id):
    idea = selectors.get_idea_for(request.user, idea_id)
    if idea is None:
        raise Http404("No such idea.")
    return idea


@api.post("/calls/{call_id}/ideas", response={201: IdeaOut, **ERRORS}, summary="Submit an idea to a call")
def submit(request, call_id: int, payload: IdeaIn):
    call = ChallengeCallPage.objects.filter(pk=call_id).first()
    if call is None or not request.user.has_perm("ideas.view_call", call):
        raise Http404("No such call.")
    rate_limit(request, "idea")
    idea = services.submit_idea(request.user, call, **payload.dict())
    return Status(201, IdeaOut.from_idea(idea))


@api.get("/ideas/{idea_id}", response={200: IdeaOut, **ERRORS}, auth=None, summary="Read an idea")
def read_idea(request, idea_id: int):
    return IdeaOut.from_idea(_idea(request, idea_id))


@api.patch("/ideas/{idea_id}", response={200: IdeaOut, **ERRORS}, summary="Edit your idea")
def edit(request, idea_id: int, payload: IdeaEditIn):
    idea = _idea(request, idea_id)
    if not request.user.has_perm("ideas.change_idea", idea) and idea.author_id != request.user.pk:
        raise ActionError("You can only edit your own ideas.", status=403, code="forbidden")
    idea = services.edit_idea(request.user, idea, **payload.dict())
    return IdeaOut.from_idea(idea)


@api.post("/ideas/{idea_id}/comments", response={201: CommentOut, **ERRORS}, summary="Comment on an idea")
def comment(request, idea_id: int, payload: CommentIn):
    idea = _idea(request, idea_id)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(pk=payload.parent, idea=idea).first()
        if parent is None:
            raise ActionError("The comment you replied to is no longer available.", field="parent", status=409, code="gone")
    rate_limit(request, "comment")
    row = services.add_comment(request.user, idea, payload.body, parent=parent)
    return Status(201, {"id": row.pk, "idea": idea.pk, "parent": row.parent_id, "body_html": row.body_html})


@api.post("/ideas/{idea_id}/vote", response={200: IdeaOut, **ERRORS}, summary="Vote on an idea")
def vote(request, idea_id: int, payload: VoteIn):
    rate_limit(request, "vote")
    idea = services.cast_vote(request.user, _idea(request, idea_id), payload.value or Vote.SUPPORT)
    return IdeaOut.from_idea(idea)


@api.delete("/ideas/{idea_id}/vote", response={200: IdeaOut, **ERRORS}, summary="Withdraw your vote")
def unvote(request, idea_id: int):
    idea = services.remove_vote(request.user, _idea(request, idea_id))
    return IdeaOut.from_idea(idea)


@api.post("/ideas/{idea_id}/follow", response={200: OkOut, **ERRORS}, summary="Follow or unfollow an idea")
def follow(request, idea_id: int, payload: FollowIn):
    idea = _idea(request, idea_id)
    if payload.follow:
        services.follow(request.user, idea=idea)
    else:
        services.unfollow(request.user, idea=idea)
    return {"ok": True}


# Read-only open data (consult/open_data.py) shares this API's errors and docs.
from consult import open_data  # noqa: E402

open_data.register(api, ERRORS)
