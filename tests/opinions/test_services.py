"""opinions.services.recompute: a call's votes become a stored map, every idea's
consensus, and a live event; statements about the participant and hidden
ideas stay out; calls without agree / disagree / pass votes get no map."""

import json
import random

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult.models import ChallengeCallPage
from ideas.models import Idea, Visibility, Vote
from live import events
from live.topics import call_topic
from opinions import groups, services
from opinions.selectors import ordered_by_consensus, position_of, snapshot_for

from ..factories import CallFactory, IdeaFactory, UserFactory
from .conftest import COMMON, SPLIT, add_votes, planted_rows


def camps(snapshot, users):
    return {snapshot.data["participants"][str(u.pk)] for u in users}


@pytest.mark.django_db
def test_recompute_stores_the_planted_groups_and_writes_consensus(planted_call, django_capture_on_commit_callbacks):
    call, ideas = planted_call["call"], planted_call["ideas"]
    before = events.current_seq(call_topic(call.pk))  # the topic's log may hold earlier tests' events
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.recompute(call.pk)

    snapshot = snapshot_for(call)
    assert outcome.snapshot == snapshot and outcome.reason is None
    assert snapshot.n_votes == 16 * len(ideas) and snapshot.n_participants == 16
    assert snapshot.computed_at is not None
    # Two groups, each camp whole in one of them.
    assert [g["size"] for g in snapshot.groups] == [8, 8]
    a, b = camps(snapshot, planted_call["camp_a"]), camps(snapshot, planted_call["camp_b"])
    assert len(a) == len(b) == 1 and a != b
    # What sets each group apart is the ideas its camp agreed with and the other did not.
    group_a = a.pop()
    reps = {r["statement"] for r in snapshot.groups[group_a]["representative"] if r["direction"] == "agree"}
    assert reps and reps <= {i.pk for i in ideas[:SPLIT]}

    # Consensus: the common ideas first, on the ideas themselves and in the snapshot.
    scores = dict(Idea.objects.filter(call=call).values_list("pk", "consensus"))
    common = {i.pk for i in ideas[2 * SPLIT:]}
    assert all(scores[pk] is not None for pk in scores)
    assert set(snapshot.data["agreed_across_groups"][:COMMON]) == common
    assert min(scores[pk] for pk in common) > max(s for pk, s in scores.items() if pk not in common)
    assert [i.pk for i in ordered_by_consensus(call)][:COMMON] == snapshot.data["agreed_across_groups"][:COMMON]
    assert scores[ideas[-1].pk] == pytest.approx(snapshot.data["consensus"][str(ideas[-1].pk)])

    # Smoothed shares beside the counts: 8 of 8 agree is (1 + 8) / (2 + 8), not 100 %.
    share = snapshot.data["shares"][str(ideas[0].pk)]["groups"][str(group_a)]
    assert share["n"] == 8 and share["agree"] == 1.0 and share["smoothed_agree"] == pytest.approx(0.9)
    assert set(snapshot.data["divided"][:2 * SPLIT]) == {i.pk for i in ideas[:2 * SPLIT]}

    # A voter's own point, by user id.
    mine = position_of(snapshot, planted_call["camp_a"][0].pk)
    assert mine["group"] == group_a and mine["in_model"] is True

    # Open pages hear of it after the commit, on the call's topic.
    sent = [e for e in events.backlog(call_topic(call.pk), before) if e["event"] == services.OPINION_UPDATED]
    assert len(sent) == 1 and sent[0]["data"]["n_votes"] == snapshot.n_votes and sent[0]["data"]["n_groups"] == 2


@pytest.mark.django_db
def test_statements_about_the_participant_shape_nothing_but_are_tallied_by_group(planted_call):
    call, camp_a, camp_b = planted_call["call"], planted_call["camp_a"], planted_call["camp_b"]
    # "I am under 25": all of camp A agree, all of camp B disagree. Were it an
    # opinion it would be the most representative statement of both groups.
    meta = IdeaFactory(call=call, title="I am under 25", about_participant=True)
    add_votes([(u, meta, Vote.AGREE) for u in camp_a] + [(u, meta, Vote.DISAGREE) for u in camp_b])

    snapshot = services.recompute(call.pk).snapshot
    meta.refresh_from_db()
    assert meta.consensus is None
    assert str(meta.pk) not in snapshot.data["consensus"] and meta.pk not in snapshot.data["agreed_across_groups"]
    assert meta.pk not in snapshot.data["divided"]
    assert all(r["statement"] != meta.pk for g in snapshot.groups for r in g["representative"])
    assert meta not in ordered_by_consensus(call)
    # ... and shown as who took part, group by group.
    group_a = camps(snapshot, camp_a).pop()
    tally = snapshot.data["meta"][str(meta.pk)]["groups"][str(group_a)]
    assert (tally["agree"], tally["disagree"], tally["n"]) == (8, 0, 8)


@pytest.mark.django_db
def test_hidden_ideas_and_their_votes_are_left_out(planted_call):
    call, ideas = planted_call["call"], planted_call["ideas"]
    services.recompute(call.pk)
    hidden = ideas[0]
    Idea.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)

    snapshot = services.recompute(call.pk).snapshot
    hidden.refresh_from_db()
    assert hidden.consensus is None
    assert snapshot.n_votes == 16 * (len(ideas) - 1)
    assert str(hidden.pk) not in snapshot.data["tallies"]


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [ChallengeCallPage.VOTING_SUPPORT, ChallengeCallPage.VOTING_OFF])
def test_a_call_without_agree_disagree_pass_votes_has_no_map(planted_call, mode):
    call = planted_call["call"]
    services.recompute(call.pk)
    assert snapshot_for(call) is not None
    ChallengeCallPage.objects.filter(pk=call.pk).update(voting_mode=mode)

    outcome = services.recompute(call.pk)
    assert outcome.snapshot is None and "no opinion map" in outcome.reason
    assert snapshot_for(call) is None
    assert not Idea.objects.filter(call=call, consensus__isnull=False).exists()


@pytest.mark.django_db
def test_a_call_that_is_gone_is_nothing_to_do(db):
    assert services.recompute(987654).snapshot is None


@pytest.mark.django_db
def test_too_few_votes_store_a_map_that_says_why(mission):
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    idea = IdeaFactory(call=call)
    add_votes([(UserFactory(), idea, Vote.AGREE)])
    snapshot = services.recompute(call.pk).snapshot
    assert snapshot.groups == [] and snapshot.reason and snapshot.n_votes == 1
    assert snapshot.data["positions"]  # still placed on the map


@pytest.mark.django_db
def test_recompute_takes_the_same_queries_for_a_bigger_call(mission):
    """Votes in one query whatever their number: no query per vote, voter or idea."""

    def build(n_users, n_ideas):
        call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
        ideas = [IdeaFactory(call=call) for _ in range(n_ideas)]
        users = [UserFactory() for _ in range(n_users)]
        half = n_users // 2
        add_votes(planted_rows(users[:half], users[half:], ideas))
        return call

    small, big = build(4, 10), build(20, 14)
    counts = []
    for call in (small, big):
        with CaptureQueriesContext(connection) as queries:
            services.recompute(call.pk)
        counts.append(sum(1 for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))))
    assert counts[0] == counts[1]
    # call, ideas, votes, Pol.is import?, snapshot read + write, consensus read + write
    assert counts[1] <= 9


def test_the_stored_map_of_a_big_call_stays_bounded():
    """10,000 participants x 1,000 ideas (synthetic, 2 % density): the JSON
    stored per call is about 2 MB (docs in opinions/models.py)."""
    rng = np.random.default_rng(3)
    n_p, n_s, per = 10_000, 1_000, 20
    participants = np.repeat(np.arange(n_p), per)
    statements = rng.integers(0, n_s, size=n_p * per)
    camp = participants % 2
    values = np.where((statements % 2) == camp, 1, -1)
    result = groups.compute(groups.VoteArrays(participants, statements, values))
    size = len(json.dumps(services.snapshot_data(result, services.KEY_USER)))
    assert 0.5e6 < size < 3e6, size


@pytest.mark.django_db
def test_participants_imported_from_polis_keep_their_polis_id(mission):
    """ideas/polis.py names a participant's account polis-<slug>-<id>; the map
    keys them by that id (an account of ours voting there is "user-<id>")."""
    from ideas.models import PolisImport
    from django.contrib.auth import get_user_model

    User = get_user_model()
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE, slug="conv")
    PolisImport.objects.create(call=call)
    ideas = [IdeaFactory(call=call) for _ in range(10)]
    polis = [User.objects.create(username=f"polis-conv-{pid}", first_name="Pol.is participant", last_name=str(pid),
                                 is_active=False) for pid in random.Random(1).sample(range(1000, 2000), 16)]
    ours = UserFactory()
    add_votes(planted_rows(polis[:8], polis[8:], ideas) + [(ours, ideas[0], Vote.PASS)])

    snapshot = services.recompute(call.pk).snapshot
    assert snapshot.data["key_kind"] == services.KEY_POLIS
    assert set(snapshot.data["participants"]) == {u.last_name for u in polis} | {f"user-{ours.pk}"}
    assert position_of(snapshot, ours.pk) is not None
