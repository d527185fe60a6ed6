"""Ideas and comments, declared as kinds of contribution (ideas/kinds.py):
what moderation, the search index, the data download and the live pages
ask of them. Registered in ideas/apps.py."""

from django.utils.text import Truncator

from live.events import COMMENT_COUNT, COMMENT_CREATED, COMMENT_REMOVED, IDEA_CREATED, IDEA_REMOVED
from live.topics import call_topic, idea_topic

from . import counters, kinds, notifications, visibility
from .models import Comment, Idea
from .search_documents import comment_changed_on_commit, idea_changed_on_commit
from .services import erasure
from .signals import votes_changed_on_commit


def _idea_removed(idea):
    removed = {"id": idea.pk, "reason": idea.moderation_reason}
    return [(call_topic(idea.call_id), IDEA_REMOVED, removed), (idea_topic(idea.pk), IDEA_REMOVED, removed)]


def _idea_visibility(idea, delta):
    if delta:  # its votes join or leave the call's opinion map: recompute it (debounced)
        votes_changed_on_commit(idea.call_id, sender=Idea)


IDEA = kinds.Kind(
    name="idea",
    model=Idea,
    label="idea",
    page="call",
    public_rows=visibility.public_ideas,
    is_public=visibility.is_public_idea,
    call_of=lambda idea: idea.call,
    title=lambda idea: idea.title,
    named=lambda idea: f"“{idea.title}”",
    text=lambda idea: " ".join((idea.title, idea.summary, idea.body, idea.organisation)),
    counts=counters.idea_counts,
    count_changed=counters.idea_changed,
    shown=lambda idea: [(call_topic(idea.call_id), IDEA_CREATED, {"id": idea.pk})],
    removed=_idea_removed,
    on_shown=lambda idea: notifications.on_commit_notify_call_followers(idea, again=True),
    on_visibility=_idea_visibility,
    sync_search=idea_changed_on_commit,
    save_fields=("updated_at",),
    data_section="ideas",
    data_rows=erasure.idea_rows,
    data_erase=erasure.erase_ideas,
    data_order=20,
)

COMMENT = kinds.Kind(
    name="comment",
    model=Comment,
    label="comment",
    page="idea__call",
    public_rows=visibility.public_comments,
    is_public=visibility.is_public_comment,
    call_of=lambda comment: comment.idea.call,
    title=lambda comment: Truncator(comment.body).chars(120),
    named=lambda comment: f"on “{comment.idea.title}”",
    text=lambda comment: comment.body,
    counts=counters.comment_counts,
    count_changed=counters.comment_changed,
    shown=lambda c: [(idea_topic(c.idea_id), COMMENT_CREATED, {"id": c.pk, "idea": c.idea_id, "parent": c.parent_id})],
    removed=lambda c: [(idea_topic(c.idea_id), COMMENT_REMOVED, {"id": c.pk, "reason": c.moderation_reason})],
    # the idea's comment count on the call page's card
    after_counted=lambda c, counted: [(call_topic(c.idea.call_id), COMMENT_COUNT, {"id": c.idea_id})] if counted else [],
    on_shown=lambda comment: notifications.on_commit_notify_comment(comment, again=True),
    sync_search=comment_changed_on_commit,
    data_section="comments",
    data_rows=erasure.comment_rows,
    data_erase=erasure.erase_comments,
    data_order=21,
)


def register():
    kinds.register(IDEA)
    kinds.register(COMMENT)
