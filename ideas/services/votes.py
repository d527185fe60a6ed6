"""Votes: cast, change and withdraw, with the counters and live tallies."""

from django.db import IntegrityError, transaction
from django.contrib.auth.models import AnonymousUser, User

from consult.models import ChallengeCallPage
from inputs.refusals import Refused, require
from live import events as live_events
from live.topics import call_topic, idea_topic

from .. import counters, search_documents
from ..models import (
    Vote,
    Idea,
)
from ..signals import votes_changed_on_commit
from .base import _lock_user


def _allowed_values(call):
    if call.voting_mode == ChallengeCallPage.VOTING_SUPPORT:
        return {Vote.SUPPORT}
    if call.voting_mode == ChallengeCallPage.VOTING_AGREE:
        return {Vote.AGREE, Vote.DISAGREE, Vote.PASS}
    return set()


def _tally_after_commit(idea):
    """Tallies are coalesced: at most one message per topic per 250 ms (live/events.py),
    and the support count in search at most every few seconds (ideas/search_documents.py)."""
    live_events.tally_on_commit(idea.pk, [idea_topic(idea.pk), call_topic(idea.call_id)])
    search_documents.tally_changed_on_commit("idea", idea.pk)
    # The call's opinion map is recomputed from its votes (debounced by the
    # receiver in opinions/receivers.py), after the commit.
    votes_changed_on_commit(idea.call_id, sender=Vote)


def cast_vote(user: User | AnonymousUser, idea: Idea, value: str = Vote.SUPPORT) -> Idea:
    """Vote once per idea; an agree/disagree/pass vote may be changed."""
    call = idea.call
    if value not in _allowed_values(call) and call.voting_mode != ChallengeCallPage.VOTING_OFF:
        allowed = ", ".join(sorted(_allowed_values(call)))
        raise Refused(f"This call takes these votes: {allowed}.", field="value", code="invalid_choice")
    require(user, "ideas.vote_idea", idea)
    with transaction.atomic():
        # The voter's row is locked (their own votes, and the support limit,
        # in order); the idea's row is not: a hot idea's voters queue only for
        # the counter's one UPDATE, not for the whole transaction (issue #19).
        # The unique constraint keeps one vote per person, and the counter
        # moves by F() in the database, so counters stay equal to the rows
        # (tests/ideas/test_votes.py, fifty threads on PostgreSQL).
        _lock_user(user)
        existing = Vote.objects.filter(idea=idea, user=user).first()
        if existing is not None and existing.value == value:
            raise Refused("You have already voted on this idea.", status=409, code="already_voted")
        if value == Vote.SUPPORT and call.support_limit is not None:
            used = Vote.objects.filter(user=user, call_id=idea.call_id, value=Vote.SUPPORT).count()
            if used >= call.support_limit:
                raise Refused(
                    f"You have used all {call.support_limit} of your supports in this call. "
                    "Withdraw one to support this idea.",
                    status=409,
                    code="limit_reached",
                )
        removed = None
        if existing is not None:
            removed = existing.value
            existing.value = value
            existing.save(update_fields=["value"])
        else:
            try:
                with transaction.atomic():
                    Vote.objects.create(idea=idea, user=user, call_id=idea.call_id, value=value)
            except IntegrityError:
                raise Refused("You have already voted on this idea.", status=409, code="already_voted")
        counters.vote_changed(idea.pk, removed=removed, added=value)
        idea.refresh_from_db(fields=list(Vote.COUNTER.values()))
        _tally_after_commit(idea)
    return idea


def remove_vote(user: User | AnonymousUser, idea: Idea) -> Idea:
    require(user, "ideas.withdraw_vote", idea)
    with transaction.atomic():
        _lock_user(user)  # as in cast_vote: the idea's row is not locked
        existing = Vote.objects.filter(idea=idea, user=user).first()
        if existing is None:
            raise Refused("You have not voted on this idea.", status=409, code="not_voted")
        existing.delete()
        counters.vote_changed(idea.pk, removed=existing.value)
        idea.refresh_from_db(fields=list(Vote.COUNTER.values()))
        _tally_after_commit(idea)
    return idea
