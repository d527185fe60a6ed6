"""Every write keeps the counters by the one rule in ideas/counters.py:
after a mixed run of services, moderation and factories, repair_counters
(which compares with the same rule as queries) finds nothing to repair."""

from io import StringIO

import pytest
from django.core.management import call_command

from consult.models import ChallengeCallPage
from ideas import counters
from ideas.services import comments, submissions, votes
from ideas.models import Comment, Idea, Vote
from moderation import services as moderation

from ..factories import CallFactory, CommentFactory, IdeaFactory, UserFactory


def _drift():
    out = StringIO()
    try:
        call_command("repair_counters", "--check", stdout=out)
    except SystemExit:
        pass
    return out.getvalue()


@pytest.mark.django_db
def test_a_mixed_run_leaves_nothing_to_repair(mission, moderator, settings):
    settings.BLOCKED_TERMS = ["casino"]
    call = CallFactory(parent=mission)
    agree_call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    author, voter, other = UserFactory(standing=True), UserFactory(), UserFactory()
    idea = submissions.submit_idea(author, call, title="Lamps", summary="More lamps", body="Put up lamps.")
    second = submissions.submit_idea(author, call, title="Benches", summary="More benches", body="Put up benches.")
    statement = IdeaFactory(call=agree_call)
    CommentFactory(idea=second)

    votes.cast_vote(voter, idea)
    votes.cast_vote(other, idea)
    votes.remove_vote(other, idea)
    votes.cast_vote(voter, statement, Vote.AGREE)
    votes.cast_vote(voter, statement, Vote.DISAGREE)  # a changed vote moves between counters
    first = comments.add_comment(voter, idea, "Good idea")
    reply = comments.add_comment(other, idea, "Agreed", parent=first)
    comments.support_comment(other, first)
    comments.delete_comment(other, reply)
    comments.edit_comment(voter, first, "A casino would pay for it")  # held: leaves the count
    submissions.edit_idea(author, second, title="Benches", summary="Benches", body="Casino benches")  # held too
    moderation.moderate(moderator, idea, "hide", reason="off_topic")
    moderation.moderate(moderator, idea, "restore")
    moderation.moderate(moderator, second, "approve")

    assert "0 counter(s) found" in _drift()
    idea.refresh_from_db()
    assert (idea.support_count, idea.comment_count) == (1, 0)
    statement.refresh_from_db()
    assert (statement.agree_count, statement.disagree_count) == (0, 1)
    assert ChallengeCallPage.objects.get(pk=call.pk).idea_count == 2
    assert Comment.objects.get(pk=first.pk).support_count == 1


@pytest.mark.django_db
def test_repair_counters_uses_the_same_rule(call):
    idea = IdeaFactory(call=call)
    CommentFactory(idea=idea)
    Idea.objects.filter(pk=idea.pk).update(comment_count=7, support_count=3)
    ChallengeCallPage.objects.filter(pk=call.pk).update(idea_count=9)
    assert "comment_count 7 -> 1" in _drift() and "idea_count 9 -> 1" in _drift()
    call_command("repair_counters", stdout=StringIO())
    assert "0 counter(s) found" in _drift()
    expected = Idea.objects.annotate(**counters.expected_idea_counters()).get(pk=idea.pk)
    assert expected.n_comment_count == 1 and expected.n_support_count == 0
