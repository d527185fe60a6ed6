"""What deleting an account does to a person's contributions (the idea and
comment kinds' parts, ideas/own_kinds.py; the rest registered with
people/data_rights.py in ideas/apps.py), and their section of the download.

Kept (the default): ideas and comments stay where they are, credited to
"Deleted account" (people/names.py reads the deleted profile), and are
re-indexed so no search document keeps the name. Removed: each idea is
withdrawn (its text gone, its page says why, as for a removed idea) and each
comment deleted (a "comment deleted" placeholder where it has replies), with
the counters moved by the one rule in ideas/counters.py. Votes and supports
stay either way, attached to an account that no longer says who it was, so
every tally stays exact."""

from collections.abc import Iterator

from django.contrib.auth.models import User

from live.events import COMMENT_DELETED, IDEA_REMOVED
from live.topics import call_topic, idea_topic
from people import data_rights

from .. import counters
from ..models import ApiToken, Comment, CommentSupport, Follow, Idea, IdeaRevision, Visibility, Vote
from ..search_documents import comment_changed_on_commit, idea_changed_on_commit
from .base import after_commit

WITHDRAWN_REASON = "Withdrawn when its author deleted their account."


def erase_ideas(user: User, remove_contributions: bool) -> None:
    """The ideas' part of deleting an account (the idea kind's data_erase, ideas/own_kinds.py)."""
    if remove_contributions:
        _withdraw_ideas(user)
    else:
        for pk in Idea.objects.filter(author=user).values_list("pk", flat=True).iterator():
            idea_changed_on_commit(pk)


def erase_comments(user: User, remove_contributions: bool) -> None:
    """The comments' part (the comment kind's data_erase), after the ideas'."""
    if remove_contributions:
        _delete_comments(user)
    else:
        for pk in Comment.objects.filter(author=user).values_list("pk", flat=True).iterator():
            comment_changed_on_commit(pk)


def erase_follows(user: User, remove_contributions: bool) -> None:
    Follow.objects.filter(user=user).delete()


def erase_tokens(user: User, remove_contributions: bool) -> None:
    ApiToken.objects.filter(user=user).delete()


def _withdraw_ideas(user):
    for idea in Idea.objects.select_for_update().filter(author=user).order_by("pk"):
        was_counted = counters.idea_counts(idea)
        was_public = idea.visibility == Visibility.PUBLISHED
        idea.title = "Withdrawn idea"
        idea.summary = idea.body = idea.body_html = idea.organisation = ""
        idea.visibility = Visibility.HIDDEN
        idea.moderation_reason = WITHDRAWN_REASON
        idea.save(update_fields=["title", "summary", "body", "body_html", "organisation", "visibility",
                                 "moderation_reason"])
        idea.tags.clear()
        IdeaRevision.objects.filter(idea=idea).update(title="Withdrawn idea", summary="", body="")
        counters.idea_changed(idea, was_counted)
        events = [(call_topic(idea.call_id), IDEA_REMOVED, {"id": idea.pk})] if was_public else []
        after_commit(events, unindex=[idea.pk])


def _delete_comments(user):
    for comment in Comment.objects.select_for_update().filter(author=user, is_deleted=False).order_by("pk"):
        was_counted = counters.comment_counts(comment)
        comment.is_deleted = True
        comment.body = comment.body_html = ""
        comment.save(update_fields=["is_deleted", "body", "body_html"])
        counters.comment_changed(comment, was_counted)
        after_commit([(idea_topic(comment.idea_id), COMMENT_DELETED, {"id": comment.pk})])
        comment_changed_on_commit(comment.pk)


# The download ------------------------------------------------------------------

def idea_rows(user: User) -> Iterator[dict]:
    qs = Idea.objects.filter(author=user).select_related("call", "on_behalf_of").order_by("pk")
    for idea in qs.iterator(chunk_size=500):
        yield {
            "id": idea.pk, "call": idea.call.title, "title": idea.title, "summary": idea.summary, "body": idea.body,
            "organisation": idea.organisation, "posted_without_name": idea.anonymous, "status": idea.status,
            "visibility": idea.visibility, "moderation_reason": idea.moderation_reason,
            "team_response": idea.response, "created_at": idea.created_at,
        }


def comment_rows(user: User) -> Iterator[dict]:
    for c in Comment.objects.filter(author=user).order_by("pk").iterator(chunk_size=1000):
        yield {"id": c.pk, "idea": c.idea_id, "parent": c.parent_id, "body": c.body, "deleted": c.is_deleted,
               "visibility": c.visibility, "posted_without_name": c.anonymous, "created_at": c.created_at,
               "edited_at": c.edited_at}


def vote_rows(user: User) -> Iterator[dict]:
    for v in Vote.objects.filter(user=user).order_by("pk").values("idea_id", "value").iterator(chunk_size=2000):
        yield {"idea": v["idea_id"], "vote": v["value"]}


def support_rows(user: User) -> Iterator[dict]:
    for s in CommentSupport.objects.filter(user=user).order_by("pk").values("comment_id").iterator(chunk_size=2000):
        yield {"comment": s["comment_id"]}


def follow_rows(user: User) -> Iterator[dict]:
    for f in Follow.objects.filter(user=user).order_by("pk").iterator():
        target = next((name for name in ("idea", "call", "mission", "tag") if getattr(f, f"{name}_id", None)), None)
        yield {"follows": target, "id": getattr(f, f"{target}_id", None) if target else None,
               "since": f.created_at}


def token_rows(user: User) -> Iterator[dict]:
    for t in ApiToken.objects.filter(user=user).order_by("pk").iterator():
        yield {"name": t.name, "created_at": t.created_at, "last_used_at": t.last_used_at,
               "revoked_at": t.revoked_at}


def register() -> None:
    # "ideas" and "comments" are registered with their kinds (ideas/own_kinds.py).
    data_rights.register("votes", vote_rows, order=22)
    data_rights.register("comment_supports", support_rows, order=23)
    data_rights.register("follows", follow_rows, erase_follows, order=24)
    data_rights.register("api_tokens", token_rows, erase_tokens, order=25)
