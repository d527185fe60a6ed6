"""May this person do this to this idea, comment or call? One module, composed
from small predicates, so the phase and the person's role decide together.
Views, consumers, templates and the API ask through `user.has_perm`."""

from datetime import timedelta

import rules
from django.utils import timezone

from consult import phases
from consult.models import ChallengeCallPage
from consult.permissions import is_mission_moderator, is_mission_team, is_site_admin, mission_of  # noqa: F401

from .models import Suspension, Visibility

COMMENT_EDIT_WINDOW = timedelta(minutes=15)

is_staff_of_mission = is_site_admin | is_mission_team | is_mission_moderator
is_moderator = is_site_admin | is_mission_moderator
is_team = is_site_admin | is_mission_team


def call_of(obj):
    if isinstance(obj, ChallengeCallPage):
        return obj
    call = getattr(obj, "call", None)
    if call is not None:
        return call
    return call_of(obj.idea)


def phase_allows(action):
    @rules.predicate(name=f"phase_allows_{action}")
    def predicate(user, obj):
        return phases.is_allowed(call_of(obj), action)

    return predicate


@rules.predicate
def is_author(user, obj):
    return user.is_authenticated and obj.author_id == user.pk


@rules.predicate
def is_public(user, obj):
    return obj.visibility == Visibility.PUBLISHED


@rules.predicate
def idea_is_public(user, obj):
    idea = obj if not hasattr(obj, "idea") else obj.idea
    return idea.visibility == Visibility.PUBLISHED


@rules.predicate
def call_is_live(user, obj):
    return call_of(obj).live


@rules.predicate
def voting_enabled(user, obj):
    return call_of(obj).voting_mode != ChallengeCallPage.VOTING_OFF


@rules.predicate
def comments_open(user, obj):
    return call_of(obj).comments_open


@rules.predicate
def authors_may_vote(user, obj):
    return call_of(obj).authors_can_vote


@rules.predicate
def within_comment_edit_window(user, comment):
    return timezone.now() - comment.created_at <= COMMENT_EDIT_WINDOW


@rules.predicate
def is_deleted(user, comment):
    return comment.is_deleted


def suspended_from(user, mission):
    """Whether a moderator has suspended this person from the mission's calls
    (read once per request and mission). Moderation writes suspensions; the
    participation rules here read them."""
    if not user.is_authenticated or mission is None:
        return False
    cache = user.__dict__.setdefault("_suspended", {})
    if mission.pk not in cache:
        cache[mission.pk] = Suspension.objects.filter(user=user, mission_id=mission.pk, until__gt=timezone.now()).exists()
    return cache[mission.pk]


@rules.predicate
def is_suspended(user, obj):
    return suspended_from(user, mission_of(call_of(obj)))


is_signed_in = rules.is_authenticated
may_take_part = is_signed_in & ~is_suspended

rules.add_perm("ideas.view_call", call_is_live | is_staff_of_mission)
rules.add_perm("ideas.submit_idea", may_take_part & call_is_live & phase_allows("submit"))
rules.add_perm("ideas.view_idea", (is_public & call_is_live) | is_author | is_staff_of_mission)
# A suspended author may not rewrite public text: edits are posts too.
rules.add_perm("ideas.change_idea", is_moderator | (is_author & ~is_suspended & phase_allows("edit")))
rules.add_perm("ideas.view_idea_history", is_staff_of_mission)
rules.add_perm(
    "ideas.vote_idea",
    may_take_part & is_public & voting_enabled & phase_allows("vote") & (~is_author | authors_may_vote),
)
rules.add_perm("ideas.comment_idea", may_take_part & is_public & comments_open & phase_allows("comment"))
rules.add_perm("ideas.follow_idea", is_signed_in & ((is_public & call_is_live) | is_author | is_staff_of_mission))
rules.add_perm("ideas.follow_call", is_signed_in & (call_is_live | is_staff_of_mission))
rules.add_perm("ideas.set_idea_status", is_team)
rules.add_perm("ideas.respond_idea", is_team)
rules.add_perm("ideas.moderate_idea", is_moderator)
rules.add_perm("ideas.view_comment", (is_public & idea_is_public) | is_author | is_staff_of_mission)
rules.add_perm("ideas.change_comment", is_author & ~is_suspended & ~is_deleted & within_comment_edit_window)
rules.add_perm("ideas.delete_comment", (is_author & ~is_deleted) | is_moderator)
rules.add_perm(
    "ideas.support_comment",
    may_take_part & is_public & idea_is_public & ~is_deleted & phase_allows("comment") & ~is_author,
)
