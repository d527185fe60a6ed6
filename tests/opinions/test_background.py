"""The map is recomputed in the background after votes arrive: at most one run
a window per call however many votes (OPINION_DEBOUNCE_SECONDS), the next
window's votes get the next run, and the rare staff changes (a Pol.is
import, a statement marked as one about the participant) run at once.

Huey runs in immediate mode in tests (cms/settings/test.py): a task queued
without a delay runs in-process at once; one scheduled with a delay waits
on the in-memory schedule until `run_due` runs it, as the consumer would."""

import pytest
from django.core.cache import cache

from consult.models import ChallengeCallPage
from inputs.refusals import Refused
from ideas.models import Vote
from ideas.services import statements, votes
from opinions import tasks
from opinions.models import OpinionSnapshot

from ..factories import CallFactory, IdeaFactory, UserFactory
from .conftest import run_due, scheduled


@pytest.fixture
def open_call(mission, huey_queue):
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    cache.delete(tasks.debounce_key(call.pk))
    ideas = [IdeaFactory(call=call) for _ in range(3)]
    yield call, ideas
    cache.delete(tasks.debounce_key(call.pk))


def vote(user, idea, value, capture):
    with capture(execute=True):
        votes.cast_vote(user, idea, value)


@pytest.mark.django_db
def test_many_votes_make_one_run_within_the_window_and_the_next_votes_another(
        open_call, huey_queue, settings, django_capture_on_commit_callbacks):
    settings.OPINION_DEBOUNCE_SECONDS = 60
    call, ideas = open_call
    voters = [UserFactory() for _ in range(6)]
    for user in voters:
        for idea in ideas:
            vote(user, idea, Vote.AGREE, django_capture_on_commit_callbacks)

    # 18 votes: one run, scheduled a window ahead; nothing computed yet.
    assert len(scheduled(huey_queue)) == 1
    assert not OpinionSnapshot.objects.filter(call=call).exists()
    assert run_due(huey_queue, seconds_ahead=30) == 0  # not before the window ends

    assert run_due(huey_queue, seconds_ahead=61) == 1
    snapshot = OpinionSnapshot.objects.get(call=call)
    assert snapshot.n_votes == 18  # every vote of the window
    assert scheduled(huey_queue) == []

    # After that run, the next vote asks for the next one.
    vote(UserFactory(), ideas[0], Vote.DISAGREE, django_capture_on_commit_callbacks)
    vote(UserFactory(), ideas[1], Vote.PASS, django_capture_on_commit_callbacks)
    assert len(scheduled(huey_queue)) == 1
    assert run_due(huey_queue, seconds_ahead=61) == 1
    snapshot.refresh_from_db()
    assert snapshot.n_votes == 20


@pytest.mark.django_db
def test_withdrawing_a_vote_also_asks_for_a_run(open_call, huey_queue, django_capture_on_commit_callbacks):
    call, ideas = open_call
    user = UserFactory()
    vote(user, ideas[0], Vote.AGREE, django_capture_on_commit_callbacks)
    run_due(huey_queue, seconds_ahead=61)
    with django_capture_on_commit_callbacks(execute=True):
        votes.remove_vote(user, ideas[0])
    assert len(scheduled(huey_queue)) == 1
    run_due(huey_queue, seconds_ahead=61)
    assert OpinionSnapshot.objects.get(call=call).n_votes == 0


@pytest.mark.django_db
def test_a_vote_that_rolls_back_asks_for_nothing(open_call, huey_queue, django_capture_on_commit_callbacks):
    _, ideas = open_call
    user = UserFactory()
    vote(user, ideas[0], Vote.AGREE, django_capture_on_commit_callbacks)
    run_due(huey_queue, seconds_ahead=61)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused):
        votes.cast_vote(user, ideas[0], Vote.AGREE)  # the same vote again: refused
    assert scheduled(huey_queue) == []


@pytest.mark.django_db
def test_with_no_window_each_vote_runs_at_once(open_call, huey_queue, settings, django_capture_on_commit_callbacks):
    settings.OPINION_DEBOUNCE_SECONDS = 0
    call, ideas = open_call
    vote(UserFactory(), ideas[0], Vote.AGREE, django_capture_on_commit_callbacks)
    assert OpinionSnapshot.objects.get(call=call).n_votes == 1
    vote(UserFactory(), ideas[1], Vote.AGREE, django_capture_on_commit_callbacks)
    assert OpinionSnapshot.objects.get(call=call).n_votes == 2


@pytest.mark.django_db
def test_marking_a_statement_about_the_participant_recomputes_at_once(
        open_call, huey_queue, team_member, django_capture_on_commit_callbacks):
    call, ideas = open_call
    for user in [UserFactory() for _ in range(3)]:
        vote(user, ideas[0], Vote.AGREE, django_capture_on_commit_callbacks)
    run_due(huey_queue, seconds_ahead=61)
    assert str(ideas[0].pk) in OpinionSnapshot.objects.get(call=call).data["consensus"]

    with django_capture_on_commit_callbacks(execute=True):
        statements.mark_about_participant(team_member, ideas[0], True)
    data = OpinionSnapshot.objects.get(call=call).data
    assert str(ideas[0].pk) not in data["consensus"] and str(ideas[0].pk) in data["meta"]
    assert scheduled(huey_queue) == []  # ran at once, not a window later


@pytest.mark.django_db
def test_a_failing_run_is_retried(open_call, huey_queue, monkeypatch, settings):
    """Three retries, 30 seconds apart: the task is not lost when the database blips."""
    call, _ = open_call
    calls = []

    def flaky(call_id):
        calls.append(call_id)
        if len(calls) == 1:
            raise RuntimeError("database restarting")
        return real(call_id)

    real = tasks.services.recompute
    monkeypatch.setattr(tasks.services, "recompute", flaky)
    tasks.request_recompute(call.pk, at_once=True)
    assert calls == [call.pk] and not OpinionSnapshot.objects.filter(call=call).exists()
    assert run_due(huey_queue, seconds_ahead=29) == 0  # 30 seconds later, not before
    assert run_due(huey_queue, seconds_ahead=31) == 1
    assert calls == [call.pk, call.pk] and OpinionSnapshot.objects.filter(call=call).exists()
    task_class = tasks.recompute_opinion_map.task_class
    assert (task_class.default_retries, task_class.default_retry_delay) == (3, 30)


@pytest.mark.django_db
def test_hiding_or_restoring_an_idea_recomputes_the_map_a_window_later(
        planted_call, huey_queue, moderator, settings, django_capture_on_commit_callbacks):
    """A hidden idea's votes no longer count (opinions/services.py reads the
    public ideas only), so a moderator's decision asks for a run, debounced
    like votes (moderation/services.py sends ideas.signals.votes_changed)."""
    from ideas.models import Idea
    from moderation import services as moderation
    from opinions import services

    settings.OPINION_DEBOUNCE_SECONDS = 60
    call, ideas = planted_call["call"], planted_call["ideas"]
    services.recompute(call.pk)
    hidden = ideas[0]
    assert str(hidden.pk) in OpinionSnapshot.objects.get(call=call).data["consensus"]
    assert OpinionSnapshot.objects.get(call=call).n_votes == 160

    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide_idea(moderator, hidden, "spam")
    assert len(scheduled(huey_queue)) == 1  # a window later, not at once
    assert OpinionSnapshot.objects.get(call=call).n_votes == 160
    assert run_due(huey_queue, seconds_ahead=61) == 1
    snapshot = OpinionSnapshot.objects.get(call=call)
    assert snapshot.n_votes == 144  # its 16 votes left the map
    assert str(hidden.pk) not in snapshot.data["consensus"] and str(hidden.pk) not in snapshot.data["shares"]
    assert Idea.objects.get(pk=hidden.pk).consensus is None

    with django_capture_on_commit_callbacks(execute=True):
        moderation.restore_idea(moderator, Idea.objects.get(pk=hidden.pk))
    assert len(scheduled(huey_queue)) == 1
    assert run_due(huey_queue, seconds_ahead=61) == 1
    snapshot = OpinionSnapshot.objects.get(call=call)
    assert snapshot.n_votes == 160 and str(hidden.pk) in snapshot.data["consensus"]
    assert Idea.objects.get(pk=hidden.pk).consensus is not None


@pytest.mark.django_db
def test_a_moderation_decision_that_leaves_the_public_ideas_alone_asks_for_nothing(
        planted_call, huey_queue, moderator, django_capture_on_commit_callbacks):
    from moderation import services as moderation

    idea = planted_call["ideas"][0]
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(moderator, idea, "request_edit", reason="off_topic")  # stays published
    assert scheduled(huey_queue) == []
