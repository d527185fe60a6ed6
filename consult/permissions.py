"""Who may do what to a mission or a call: small named predicates composed
into permissions with `rules`. Views, consumers, the API and templates all ask
through `user.has_perm(...)`, so this is the one place to read or change."""

import rules

from .models import ChallengeCallPage, MissionMembership, MissionPage


def mission_of(obj):
    """The mission an object belongs to (a mission, a call, an idea, a comment)."""
    if obj is None:
        return None
    if isinstance(obj, MissionPage):
        return obj
    if isinstance(obj, ChallengeCallPage):
        cached = getattr(obj, "_mission_cache", None)
        if cached is None:
            cached = MissionPage.objects.get(path=obj.path[: -obj.steplen])
            obj._mission_cache = cached
        return cached
    call = getattr(obj, "call", None)
    if call is not None:
        return mission_of(call)
    idea = getattr(obj, "idea", None)
    if idea is not None:
        return mission_of(idea)
    return None


def mission_roles(user, mission):
    """The user's roles on a mission, read once per request and mission."""
    if not user.is_authenticated or mission is None:
        return frozenset()
    cache = user.__dict__.setdefault("_mission_roles", {})
    if mission.pk not in cache:
        cache[mission.pk] = frozenset(
            MissionMembership.objects.filter(user=user, mission_id=mission.pk).values_list("role", flat=True)
        )
    return cache[mission.pk]


@rules.predicate
def is_site_admin(user):
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def is_mission_team(user, obj):
    return MissionMembership.ROLE_TEAM in mission_roles(user, mission_of(obj))


@rules.predicate
def is_mission_moderator(user, obj):
    return MissionMembership.ROLE_MODERATOR in mission_roles(user, mission_of(obj))


is_mission_staff = is_site_admin | is_mission_team | is_mission_moderator

rules.add_perm("consult.manage_mission", is_site_admin | is_mission_team)
rules.add_perm("consult.moderate_mission", is_site_admin | is_mission_moderator)
rules.add_perm("consult.view_mission_staff_area", is_mission_staff)
