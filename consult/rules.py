"""Who may do what to a mission or a call: small named predicates composed
into permissions with `rules`. The module is called `rules.py` so that
`rules.apps.AutodiscoverRulesConfig` imports it at start-up; nothing needs to
import it for its permissions to exist.

Ask with `can(user, perm, obj)`, never `user.has_perm(...)`: Django's
`User.has_perm` answers True for an active superuser before any backend is
asked, so a site admin would pass the phase clock, suspensions and "not your
own idea" alike. `can` asks the `rules` permission set directly, so a
permission is exactly its predicate, for everyone; where site admins may do
something, the predicate says so (`is_site_admin`). Views, the API, live topic
authorisers and the services all ask this way, and templates get the
answers as flags from their views.

Why a permission fails is told by its refusal table (`refuse(perm, ...)`,
inputs/refusals.py: the one refusal path of every app), declared beside the
permission."""

import rules

from inputs.refusals import NOT_ALLOWED, SIGNED_IN, Refusal, can, refuse, why_not  # noqa: F401  (re-exported)

from .models import MissionMembership, MissionPage, mission_of


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


def prime_mission_roles(user, missions):
    """Read the person's roles on many missions in one query, for pages that
    ask a permission of each (mission_roles then answers from its cache)."""
    missions = list(missions)
    if not user.is_authenticated or not missions:
        return missions
    found = {}
    rows = MissionMembership.objects.filter(user=user, mission_id__in=[m.pk for m in missions])
    for mission_id, role in rows.values_list("mission_id", "role"):
        found.setdefault(mission_id, set()).add(role)
    cache = user.__dict__.setdefault("_mission_roles", {})
    for mission in missions:
        cache.setdefault(mission.pk, frozenset(found.get(mission.pk, ())))
    return missions


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
refuse("consult.manage_mission", SIGNED_IN,
       Refusal(is_site_admin | is_mission_team, 403, "forbidden", "Only this mission's team can do this."))
rules.add_perm("consult.moderate_mission", is_site_admin | is_mission_moderator)
refuse("consult.moderate_mission", SIGNED_IN,
       Refusal(is_site_admin | is_mission_moderator, 403, "forbidden", "Only this mission's moderators can do this."))


def moderated_missions(user):
    """consult.moderate_mission as a query: the missions whose queues this
    person works, for pages that list them (one query rather than the
    predicate per mission). Written beside the permission because it is the
    same rule; tests/consult/test_moderate_query.py holds them together for
    every kind of person."""
    if not user.is_authenticated:
        return MissionPage.objects.none()
    if is_site_admin.test(user):
        return MissionPage.objects.all()
    return MissionPage.objects.filter(
        pk__in=MissionMembership.objects.filter(user=user, role=MissionMembership.ROLE_MODERATOR).values("mission_id"))

rules.add_perm("consult.view_mission_staff_area", is_mission_staff)
refuse("consult.view_mission_staff_area", SIGNED_IN,
       Refusal(is_mission_staff, 403, "forbidden", "Only this mission's team and moderators can see this."))
