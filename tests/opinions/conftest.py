"""A call with planted opinion groups, written as the app would store it
(the `huey_queue` fixture is in tests/conftest.py)."""


import pytest
from django.core.cache import cache
from cms.tasks import run_scheduled as run_due  # noqa: F401  (run the tasks due seconds from now)

from consult.models import ChallengeCallPage
from ideas.models import Idea, Vote
from opinions.tasks import debounce_key

from ..factories import CallFactory, IdeaFactory, UserFactory

# Two camps of 8 who disagree on four ideas each way and agree on two.
CAMP_A, CAMP_B = 0, 1
SPLIT = 4  # ideas 0-3: A agrees, B disagrees; ideas 4-7: the reverse
COMMON = 2  # ideas 8-9: everyone agrees
PER_CAMP = 8


def scheduled(huey):
    return [task for task in huey.scheduled() if task.name == "recompute_opinion_map"]


def add_votes(rows):
    """Votes as the services leave them: rows and counters. rows: (user, idea, value)."""
    Vote.objects.bulk_create([Vote(user=u, idea=i, call_id=i.call_id, value=v) for u, i, v in rows])
    counts = {}
    for _, idea, value in rows:
        counts.setdefault(idea.pk, {}).setdefault(Vote.COUNTER[value], 0)
        counts[idea.pk][Vote.COUNTER[value]] += 1
    for pk, fields in counts.items():
        Idea.objects.filter(pk=pk).update(**fields)


def planted_rows(users_a, users_b, ideas):
    rows = []
    for camp, users in ((CAMP_A, users_a), (CAMP_B, users_b)):
        for user in users:
            for j, idea in enumerate(ideas):
                if j < 2 * SPLIT:
                    agrees = (j < SPLIT) == (camp == CAMP_A)
                    rows.append((user, idea, Vote.AGREE if agrees else Vote.DISAGREE))
                else:
                    rows.append((user, idea, Vote.AGREE))
    return rows


@pytest.fixture
def planted_call(mission):
    """An agree / disagree / pass call with two planted camps.

    Returns a dict: call, ideas (10 opinions), camp_a, camp_b (users)."""
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    cache.delete(debounce_key(call.pk))
    ideas = [IdeaFactory(call=call, title=f"Statement {j}") for j in range(2 * SPLIT + COMMON)]
    camp_a = [UserFactory() for _ in range(PER_CAMP)]
    camp_b = [UserFactory() for _ in range(PER_CAMP)]
    add_votes(planted_rows(camp_a, camp_b, ideas))
    yield {"call": call, "ideas": ideas, "camp_a": camp_a, "camp_b": camp_b}
    cache.delete(debounce_key(call.pk))
