"""Following ideas, calls, missions and tags.

Exactly one target per call: `follow(user, mission=m)`. Following twice is
one follow; stopping following something not followed does nothing. What
followers hear about is in ideas/notifications.py."""

from django.db import IntegrityError, transaction
from django.contrib.auth.models import AnonymousUser, User

from consult.models import ChallengeCallPage, MissionPage

from inputs.refusals import Refused, require

from ..models import Follow, Idea

PERMISSION = {
    "idea": "ideas.follow_idea",
    "call": "ideas.follow_call",
    "mission": "ideas.follow_mission",
    "tag": "ideas.follow_tag",
}


def _target(targets):
    given = {name: obj for name, obj in targets.items() if obj is not None}
    if len(given) != 1:
        raise Refused("Choose one thing to follow: an idea, a call, a mission or a tag.", code="invalid")
    return next(iter(given.items()))


def follow(user: User | AnonymousUser, *, idea: Idea | None = None, call: ChallengeCallPage | None = None,
           mission: MissionPage | None = None, tag: str | None = None) -> Follow:
    name, target = _target({"idea": idea, "call": call, "mission": mission, "tag": tag})
    require(user, PERMISSION[name], target)
    with transaction.atomic():
        try:
            with transaction.atomic():
                follow_row, _ = Follow.objects.get_or_create(user=user, **{name: target})
        except IntegrityError:  # the same follow, made at the same moment
            follow_row = Follow.objects.get(user=user, **{name: target})
    return follow_row


def unfollow(user: User | AnonymousUser, *, idea: Idea | None = None, call: ChallengeCallPage | None = None,
             mission: MissionPage | None = None, tag: str | None = None) -> None:
    name, target = _target({"idea": idea, "call": call, "mission": mission, "tag": tag})
    require(user, "ideas.unfollow", target)
    with transaction.atomic():
        Follow.objects.filter(user=user, **{name: target}).delete()


def is_following(user: User | AnonymousUser, *, idea: Idea | None = None,
                 call: ChallengeCallPage | None = None, mission: MissionPage | None = None,
                 tag: str | None = None) -> bool:
    """Whether this person follows this one thing (False when signed out)."""
    name, target = _target({"idea": idea, "call": call, "mission": mission, "tag": tag})
    return bool(user.is_authenticated and Follow.objects.filter(user=user, **{name: target}).exists())
