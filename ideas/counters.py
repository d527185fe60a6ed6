"""The counters kept beside the rows they count, and the one rule behind them.

A call's `idea_count` counts its published ideas; an idea's `comment_count`
counts its published, undeleted comments; its vote counters count its votes
by value; a comment's `support_count` counts its supports. Pages read the
counters instead of COUNT(*), so every write that changes what they count
changes them in the same transaction, through the functions here: services,
moderation, the Pol.is importer, `repair_counters` and the test factories.
The same rule, as query expressions, is what `repair_counters` compares with.
"""

from django.db.models import Count, F, Q

from consult.models import ChallengeCallPage

from .models import Comment, Idea, Visibility, Vote


def support_measure(idea):
    """The number "most supported" ranks an idea by, for its call's voting
    mode: its supports, or its agrees in an agree/disagree/pass call (the
    call page's order, ideas/selectors.py ORDERINGS, which puts one after
    the other); 0 where the call has no voting. Search indexes it, so ideas
    of every call rank on one scale. Needs `idea.call` loaded."""
    mode = idea.call.voting_mode
    if mode == ChallengeCallPage.VOTING_AGREE:
        return idea.agree_count
    if mode == ChallengeCallPage.VOTING_SUPPORT:
        return idea.support_count
    return 0


def idea_counts(idea):
    """Does this idea count towards its call's idea_count?"""
    return idea.visibility == Visibility.PUBLISHED


def comment_counts(comment):
    """Does this comment count towards its idea's comment_count?"""
    return comment.visibility == Visibility.PUBLISHED and not comment.is_deleted


def add_to_call(call_id, delta):
    if delta:
        ChallengeCallPage.objects.filter(pk=call_id).update(idea_count=F("idea_count") + delta)


def add_to_idea_comments(idea_id, delta):
    if delta:
        Idea.objects.filter(pk=idea_id).update(comment_count=F("comment_count") + delta)


def idea_changed(idea, was_counted):
    """After an idea was created (was_counted=False) or changed state: keep
    its call's idea_count. Returns +1, -1 or 0."""
    delta = int(idea_counts(idea)) - int(was_counted)
    add_to_call(idea.call_id, delta)
    return delta


def comment_changed(comment, was_counted):
    """After a comment was created, changed state or was deleted: keep its
    idea's comment_count. Returns +1, -1 or 0."""
    delta = int(comment_counts(comment)) - int(was_counted)
    add_to_idea_comments(comment.idea_id, delta)
    return delta


def vote_changed(idea_id, removed=None, added=None):
    """A vote of value `removed` went, one of value `added` came (either may be None)."""
    changes = {}
    if removed is not None:
        changes[Vote.COUNTER[removed]] = F(Vote.COUNTER[removed]) - 1
    if added is not None:
        field = Vote.COUNTER[added]
        changes[field] = (changes[field] + 1) if field in changes else F(field) + 1
    if changes:
        Idea.objects.filter(pk=idea_id).update(**changes)


def support_changed(comment_id, delta):
    Comment.objects.filter(pk=comment_id).update(support_count=F("support_count") + delta)


# --- the same rule as query expressions: what the counters should say --------


def expected_idea_counters():
    """Annotations of Idea: n_<counter> for every counter an idea carries."""
    votes = {f"n_{field}": Count("votes", filter=Q(votes__value=value), distinct=True)
             for value, field in Vote.COUNTER.items()}
    comments = Count("comments", filter=Q(comments__visibility=Visibility.PUBLISHED, comments__is_deleted=False),
                     distinct=True)
    return {**votes, "n_comment_count": comments}


def expected_call_idea_count():
    """Annotation of ChallengeCallPage: what idea_count should say."""
    return Count("ideas", filter=Q(ideas__visibility=Visibility.PUBLISHED))


def expected_comment_supports():
    """Annotation of Comment: what support_count should say."""
    return Count("supports")
