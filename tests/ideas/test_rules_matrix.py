"""The permission matrix: every `ideas.` and `consult.` permission, for every
role, with the call's phase open and closed; and for every refusal, what the
one refusal helper answers (status and code).

`can()` is asked, not `user.has_perm()`: Django passes superusers before any
backend, and the phase must bind site admins too (consult/rules.py)."""

from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from consult.rules import can
from ideas.services import tokens, votes
from inputs.refusals import NOT_ALLOWED, Refused, refusal, require, why_not
from ideas.models import Comment
from consult.models import Suspension

from ..factories import (
    CallFactory,
    IdeaFactory,
    MembershipFactory,
    MissionFactory,
    UserFactory,
)

ROLES = [
    "anonymous", "participant", "author", "suspended_author", "suspended_participant",
    "team", "moderator", "other_team", "other_moderator", "admin",
]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
SUSPENDED = {"suspended_author", "suspended_participant"}
AUTHORS = {"author", "suspended_author"}  # "suspended_author" is the author, suspended
PHASES = ["open", "closed"]

# perm -> who may, with the call open (submissions) and closed (shortlisting).
# One set means the phase does not matter.
MATRIX = {
    "consult.manage_mission": {"team", "admin"},
    "consult.moderate_mission": {"moderator", "admin"},
    "consult.view_mission_staff_area": {"team", "moderator", "admin"},
    "ideas.import_polis": {"team", "admin"},
    "ideas.view_call": EVERYONE,
    "ideas.follow_call": SIGNED_IN,
    "ideas.follow_mission": SIGNED_IN,
    "ideas.follow_tag": SIGNED_IN,
    "ideas.submit_idea": {"open": SIGNED_IN - SUSPENDED, "closed": set()},
    "ideas.view_idea": EVERYONE,
    "ideas.view_idea@pending": AUTHORS | {"team", "moderator", "admin"},
    "ideas.follow_idea": SIGNED_IN,
    "ideas.change_idea": {"open": {"author", "moderator", "admin"}, "closed": {"moderator", "admin"}},
    "ideas.view_idea_history": {"team", "moderator", "admin"},
    "ideas.vote_idea": {"open": SIGNED_IN - SUSPENDED - AUTHORS, "closed": set()},
    "ideas.withdraw_vote": {"open": SIGNED_IN, "closed": set()},
    "ideas.comment_idea": {"open": SIGNED_IN - SUSPENDED, "closed": set()},
    "ideas.set_idea_status": {"team", "admin"},
    "ideas.respond_idea": {"team", "admin"},
    "ideas.moderate_idea": {"moderator", "admin"},
    "ideas.mark_about_participant": {"team", "moderator", "admin"},
    "ideas.flag": SIGNED_IN - SUSPENDED - AUTHORS,
    "ideas.flag@comment": SIGNED_IN - SUSPENDED - AUTHORS,
    "ideas.view_comment": EVERYONE,
    "ideas.change_comment": {"author"},
    "ideas.delete_comment": AUTHORS | {"moderator", "admin"},
    "ideas.support_comment": {"open": SIGNED_IN - SUSPENDED - AUTHORS, "closed": set()},
    "ideas.revoke_token": AUTHORS,
    "ideas.unfollow": SIGNED_IN,
    "ideas.unsupport_comment": SIGNED_IN,
}

# perm -> the refusal code each denied role gets: by "role@phase", then
# "role", then "*" (signed in); the signed-out get 401 unless listed.
REFUSED = {
    "ideas.view_idea": {"anonymous": "not_found", "*": "not_found"},
    "ideas.submit_idea": {"suspended_author": "suspended", "suspended_participant": "suspended", "*": "phase_closed"},
    "ideas.change_idea": {"suspended_author": "suspended", "author": "phase_closed", "*": "forbidden"},
    "ideas.vote_idea": {"author": "own_idea", "suspended_author": "own_idea", "suspended_participant": "suspended",
                        "*": "phase_closed"},
    "ideas.withdraw_vote": {"*": "phase_closed"},
    "ideas.comment_idea": {"suspended_author": "suspended", "suspended_participant": "suspended",
                           "*": "phase_closed"},
    "ideas.flag": {"author": "own_content", "suspended_author": "own_content", "suspended_participant": "suspended"},
    "ideas.change_comment": {"suspended_author": "suspended", "*": "forbidden"},
    "ideas.support_comment": {"suspended_author": "suspended", "suspended_participant": "suspended",
                              "author@open": "forbidden", "*": "phase_closed"},
    "ideas.revoke_token": {"*": "not_found"},
}
STATUS = {"not_authenticated": 401, "forbidden": 403, "suspended": 403, "own_idea": 403, "own_content": 403,
          "not_found": 404, "phase_closed": 409}


# Each permission in each phase that can change its answer.
CASES = [(perm, phase) for perm in sorted(MATRIX)
         for phase in (PHASES if isinstance(MATRIX[perm], dict) else ["open"])]


def allowed(perm, role, phase):
    who = MATRIX[perm]
    return role in (who[phase] if isinstance(who, dict) else who)


def expected_code(perm, role, phase):
    codes = REFUSED.get(perm.split("@")[0], {})
    if role == "anonymous":
        return codes.get("anonymous", "not_authenticated")
    return codes.get(f"{role}@{phase}") or codes.get(role) or codes.get("*", "forbidden")


def _close(call):
    now = timezone.now()
    call.submission_opens = now - timedelta(days=90)
    call.submission_closes = now - timedelta(days=60)
    call.review_closes = now - timedelta(days=30)
    call.shortlist_closes = now + timedelta(days=1)
    call.save()


@pytest.fixture
def world(site):
    mission, other = MissionFactory(), MissionFactory()
    call = CallFactory(parent=mission)
    author = UserFactory()
    team = MembershipFactory(mission=mission, role="team").user
    moderator = MembershipFactory(mission=mission, role="moderator").user
    users = {
        "anonymous": AnonymousUser(),
        "participant": UserFactory(),
        "author": author,
        "suspended_author": author,
        "suspended_participant": UserFactory(),
        "team": team,
        "moderator": moderator,
        "other_team": MembershipFactory(mission=other, role="team").user,
        "other_moderator": MembershipFactory(mission=other, role="moderator").user,
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    idea = IdeaFactory(call=call, author=author)
    comment = Comment.objects.create(idea=idea, author=author, body="c", body_html="<p>c</p>")
    token, _ = tokens.create_api_token(author, "mine")
    return {
        "mission": mission, "call": call, "idea": idea, "comment": comment, "token": token, "users": users,
        "pending": IdeaFactory(call=call, author=author, visibility="pending"), "moderator": moderator,
    }


def _target(world, perm):
    if perm == "ideas.follow_tag":
        from taggit.models import Tag

        return Tag.objects.get_or_create(name="energy", slug="energy")[0]
    if perm.startswith("consult.") or perm in ("ideas.import_polis", "ideas.follow_mission"):
        return world["mission"]
    if perm in ("ideas.submit_idea", "ideas.view_call", "ideas.follow_call"):
        return world["call"]
    if perm.endswith("@pending"):
        return world["pending"]
    if perm.endswith("@comment") or "_comment" in perm:
        return world["comment"]
    if perm == "ideas.revoke_token":
        return world["token"]
    return world["idea"]


def _user(world, role):
    user = world["users"][role]
    if role in SUSPENDED:
        Suspension.objects.create(mission=world["mission"], user=user, until=timezone.now() + timedelta(days=7),
                                  reason="spam", created_by=world["moderator"])
    return user


def test_the_matrix_covers_every_permission():
    registered = {name for name in rules.permissions.permissions if name.startswith(("ideas.", "consult."))}
    assert registered == {perm.split("@")[0] for perm in MATRIX}


def _check(world, user, perm, role, phase):
    """What is wrong with one cell of the matrix, or None."""
    obj, name = _target(world, perm), perm.split("@")[0]
    expected = allowed(perm, role, phase)
    if can(user, name, obj) is not expected:
        return f"{role} {perm} {phase}: can() is {not expected}"
    error = refusal(user, name, obj)
    if expected:
        if error is not None:
            return f"{role} {perm} {phase}: allowed but refused ({error.code})"
        require(user, name, obj)
        return None
    code = expected_code(perm, role, phase)
    if (error.status, error.code) != (STATUS[code], code):
        return f"{role} {perm} {phase}: {error.status} {error.code} (want {STATUS[code]} {code}): {error.message}"
    if why_not(user, name, obj) is NOT_ALLOWED:
        return f"{perm} has no reason for {role}"
    try:
        require(user, name, obj)
    except Refused:
        return None
    return f"{role} {perm} {phase}: require() did not refuse"


# One world per role and phase, every permission asked of it: the cells
# share nothing a permission writes, and building the world per cell (about
# 280 of them) was the slowest part of the suite.
@pytest.mark.django_db
@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role, phase):
    if phase == "closed":
        _close(world["call"])
        world["idea"].call = world["call"]
    user = _user(world, role)
    wrong = [_check(world, user, perm, role, phase) for perm, case_phase in CASES if case_phase == phase]
    assert [w for w in wrong if w] == []


@pytest.mark.django_db
def test_the_phase_binds_site_admins_though_django_passes_them(world):
    admin, idea = world["users"]["admin"], world["idea"]
    _close(world["call"])
    idea.call = world["call"]
    assert admin.has_perm("ideas.vote_idea", idea)  # Django's superuser pass: why `can` exists
    assert not can(admin, "ideas.vote_idea", idea)
    with pytest.raises(Refused) as exc:
        votes.cast_vote(admin, idea)
    assert exc.value.status == 409 and "Voting for this call closed on" in exc.value.message


@pytest.mark.django_db
def test_refusals_say_what_the_person_can_act_on(world):
    author, idea = _user(world, "suspended_author"), world["idea"]
    error = refusal(author, "ideas.change_idea", idea)
    assert error.message.startswith("You are suspended from this mission's calls until ")
    participant = world["users"]["participant"]
    _close(world["call"])
    idea.call = world["call"]
    assert "Comments for this call closed on" in refusal(participant, "ideas.comment_idea", idea).message
    assert refusal(AnonymousUser(), "ideas.vote_idea", idea).message == "Sign in to do this."
