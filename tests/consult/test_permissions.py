"""The permission matrix: role × action × allowed/denied, per mission, asked
through `can` (tests/ideas/test_rules_matrix.py has every permission, phase
and refusal)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from consult.rules import can
from ideas.models import Visibility

from ..factories import (
    CallFactory,
    IdeaFactory,
    MembershipFactory,
    MissionFactory,
    UserFactory,
)

ROLES = ["anonymous", "participant", "author", "team_a", "moderator_a", "team_b", "moderator_b", "admin"]

# action -> roles allowed, on mission A's objects
MATRIX = {
    "consult.manage_mission": {"team_a", "admin"},
    "consult.moderate_mission": {"moderator_a", "admin"},
    "ideas.submit_idea": {"participant", "author", "team_a", "moderator_a", "team_b", "moderator_b", "admin"},
    "ideas.change_idea": {"author", "moderator_a", "admin"},
    "ideas.vote_idea": {"participant", "team_a", "moderator_a", "team_b", "moderator_b", "admin"},
    "ideas.comment_idea": {"participant", "author", "team_a", "moderator_a", "team_b", "moderator_b", "admin"},
    "ideas.set_idea_status": {"team_a", "admin"},
    "ideas.respond_idea": {"team_a", "admin"},
    "ideas.moderate_idea": {"moderator_a", "admin"},
    "ideas.view_idea_history": {"team_a", "moderator_a", "admin"},
    "ideas.view_idea@pending": {"author", "team_a", "moderator_a", "admin"},
    "ideas.view_idea@public": set(ROLES),
}


@pytest.fixture
def world(site):
    mission_a, mission_b = MissionFactory(), MissionFactory()
    call_a = CallFactory(parent=mission_a)
    author = UserFactory()
    users = {
        "anonymous": AnonymousUser(),
        "participant": UserFactory(),
        "author": author,
        "team_a": MembershipFactory(mission=mission_a, role="team").user,
        "moderator_a": MembershipFactory(mission=mission_a, role="moderator").user,
        "team_b": MembershipFactory(mission=mission_b, role="team").user,
        "moderator_b": MembershipFactory(mission=mission_b, role="moderator").user,
        "admin": UserFactory(is_superuser=True),
    }
    idea = IdeaFactory(call=call_a, author=author)
    pending = IdeaFactory(call=call_a, author=author, visibility=Visibility.PENDING)
    return {"mission": mission_a, "call": call_a, "idea": idea, "pending": pending, "users": users}


def target(world, perm):
    if perm.startswith("consult."):
        return world["mission"]
    if perm == "ideas.submit_idea":
        return world["call"]
    if perm.endswith("@pending"):
        return world["pending"]
    return world["idea"]


# One world, every cell asked of it (asking writes nothing): building the
# world per cell (96 of them) cost more than the rest of this file.
@pytest.mark.django_db
def test_permission_matrix(world):
    wrong = [f"{role} {perm}: can() is {role not in MATRIX[perm]}"
             for role in ROLES for perm in sorted(MATRIX)
             if can(world["users"][role], perm.split("@")[0], target(world, perm)) is not (role in MATRIX[perm])]
    assert wrong == []


@pytest.mark.django_db
def test_closed_phase_denies_every_role_but_moderators_editing(world):
    """Site admins included: `can` gives superusers no pass."""
    from datetime import timedelta

    from django.utils import timezone

    call = world["call"]
    now = timezone.now()
    call.submission_opens = now - timedelta(days=90)
    call.submission_closes = now - timedelta(days=60)
    call.review_closes = now - timedelta(days=30)
    call.shortlist_closes = now + timedelta(days=1)
    call.save()
    idea = world["idea"]
    idea.call = call
    for role, user in world["users"].items():
        assert not can(user, "ideas.submit_idea", call), role
        assert not can(user, "ideas.vote_idea", idea), role
        assert not can(user, "ideas.comment_idea", idea), role
    assert not can(world["users"]["author"], "ideas.change_idea", idea)
    assert can(world["users"]["moderator_a"], "ideas.change_idea", idea)
