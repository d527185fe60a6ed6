"""Comments: post, edit, delete, support."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.contrib.auth.models import AnonymousUser, User

from inputs.refusals import Refused, require
from live.events import (
    COMMENT_COUNT,
    COMMENT_CREATED,
    COMMENT_DELETED,
    COMMENT_REMOVED,
    COMMENT_TALLY,
    COMMENT_UPDATED,
)
from live.topics import call_topic, idea_topic

from .. import counters, notifications, organisations, screening
from ..models import (
    Comment,
    CommentSupport,
    Visibility,
    Idea,
)
from ..search_documents import COMMENT as SEARCH_COMMENT, tally_changed_on_commit
from ..text import render_markdown
from ..visibility import is_published
from .base import (
    COMMENT_MAX,
    after_commit,
    _log_automatic_hold,
    clean_text,
    initial_visibility,
    premoderated,
    queue_on_commit,
)


def add_comment(user: User | AnonymousUser, idea: Idea, body: str, parent: Comment | None = None,
                anonymous: bool = False) -> Comment:
    """In a pre-moderated call the comment waits for a moderator like an
    idea: shown only to its author (as awaiting moderation) and the
    mission's staff, not counted, announced or sent to followers until
    approved (moderation/services.py publishes it then)."""
    require(user, "ideas.comment_idea", idea)
    body = clean_text(body, "body", "your comment", COMMENT_MAX)
    anonymous = organisations.anonymous_choice(idea.call, anonymous)
    screening.refuse_duplicate(user, Comment, body)
    held_because = screening.hold_reason(user, body)
    with transaction.atomic():
        if parent is not None:
            parent = Comment.objects.select_for_update().filter(pk=parent.pk, idea_id=idea.pk).first()
            if parent is None or not is_published(parent) or parent.is_deleted:
                raise Refused(
                    "The comment you replied to is no longer available.", field="parent", status=409, code="gone"
                )
            # Threads are shown two levels deep: a reply to a reply joins that reply's level.
            if parent.depth >= 2:
                parent = parent.parent
        comment = Comment.objects.create(
            idea=idea,
            parent=parent,
            thread_root=(parent.thread_root or parent) if parent else None,
            depth=(parent.depth + 1) if parent else 0,
            author=user,
            anonymous=anonymous,
            body=body,
            body_html=render_markdown(body),
            visibility=Visibility.PENDING if held_because else initial_visibility(idea.call),
        )
        counters.comment_changed(comment, was_counted=False)
        if held_because:
            _log_automatic_hold(comment, held_because)
            return comment
        if not is_published(comment):
            queue_on_commit(comment)
            return comment
        data = {"id": comment.pk, "idea": idea.pk, "parent": parent.pk if parent else None}
        after_commit([(idea_topic(idea.pk), COMMENT_CREATED, data), (call_topic(idea.call_id), COMMENT_COUNT, {"id": idea.pk})])
        notifications.on_commit_notify_comment(comment)
    return comment


def edit_comment(user: User | AnonymousUser, comment: Comment, body: str) -> Comment:
    """Edits pass the checks a new comment passes: a held edit takes the
    comment off the page until a moderator looks, and so does any edit in a
    pre-moderated call (its text was checked before it was published)."""
    require(user, "ideas.change_comment", comment)
    body = clean_text(body, "body", "your comment", COMMENT_MAX)
    screening.refuse_duplicate(user, Comment, body, exclude=comment)
    held_because = screening.hold_reason(user, body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        was_public = comment.visibility == Visibility.PUBLISHED
        was_counted = counters.comment_counts(comment)
        comment.body = body
        comment.body_html = render_markdown(body)
        comment.edited_at = timezone.now()
        fields = ["body", "body_html", "edited_at"]
        back_to_queue = was_public and premoderated(comment.idea.call)
        if back_to_queue or (held_because and comment.visibility in (Visibility.PUBLISHED, Visibility.PENDING)):
            comment.visibility = Visibility.PENDING
            fields.append("visibility")
        comment.save(update_fields=fields)
        if held_because and comment.visibility == Visibility.PENDING:
            _log_automatic_hold(comment, f"edited: {held_because}")
        elif back_to_queue:
            queue_on_commit(comment)
        counters.comment_changed(comment, was_counted)
        if was_public and comment.visibility != Visibility.PUBLISHED:
            after_commit([(idea_topic(comment.idea_id), COMMENT_REMOVED, {"id": comment.pk, "reason": ""}),
                           (call_topic(comment.idea.call_id), COMMENT_COUNT, {"id": comment.idea_id})])
        else:
            after_commit([(idea_topic(comment.idea_id), COMMENT_UPDATED, {"id": comment.pk})])
    return comment


def delete_comment(user: User | AnonymousUser, comment: Comment) -> Comment:
    """A comment with replies leaves "comment deleted" in its place."""
    require(user, "ideas.delete_comment", comment)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_deleted:
            return comment
        was_counted = counters.comment_counts(comment)
        comment.is_deleted = True
        comment.body = ""
        comment.body_html = ""
        comment.save(update_fields=["is_deleted", "body", "body_html"])
        counters.comment_changed(comment, was_counted)
        after_commit([(idea_topic(comment.idea_id), COMMENT_DELETED, {"id": comment.pk})])
    return comment


def support_comment(user: User | AnonymousUser, comment: Comment) -> Comment:
    require(user, "ideas.support_comment", comment)
    with transaction.atomic():
        try:
            with transaction.atomic():
                CommentSupport.objects.create(comment=comment, user=user)
        except IntegrityError:
            raise Refused("You already support this comment.", status=409, code="already_supported")
        counters.support_changed(comment.pk, +1)
        comment.refresh_from_db(fields=["support_count"])
        tally_changed_on_commit(SEARCH_COMMENT, comment.pk)  # coalesced (ideas/search_documents.py)
        after_commit(
            [(idea_topic(comment.idea_id), COMMENT_TALLY, {"id": comment.pk, "support": comment.support_count})]
        )
    return comment


def unsupport_comment(user: User | AnonymousUser, comment: Comment) -> Comment:
    require(user, "ideas.unsupport_comment", comment)
    with transaction.atomic():
        deleted, _ = CommentSupport.objects.filter(comment=comment, user=user).delete()
        if not deleted:
            raise Refused("You do not support this comment.", status=409, code="not_supported")
        counters.support_changed(comment.pk, -1)
        comment.refresh_from_db(fields=["support_count"])
        tally_changed_on_commit(SEARCH_COMMENT, comment.pk)  # coalesced (ideas/search_documents.py)
        after_commit(
            [(idea_topic(comment.idea_id), COMMENT_TALLY, {"id": comment.pk, "support": comment.support_count})]
        )
    return comment
