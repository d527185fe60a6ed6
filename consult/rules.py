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

Why a permission fails is told by its refusal table (`refuse(perm, ...)`):
the reasons in the order a person should hear them, each a predicate that
must hold and what to say when it does not (401 signed out, 403 not allowed,
404 not to be seen, 409 not now). `why_not` walks the table, testing the
same predicates the permission is made of, so the decision and the reason
cannot drift apart. ideas/rules.py turns the answer into an ActionError."""

from dataclasses import dataclass

import rules

from .models import MissionMembership, mission_of


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


def can(user, perm, obj=None):
    """Whether the permission's predicate holds for this person and object.
    Unlike `user.has_perm`, superusers get no pass: see the module docstring."""
    return rules.has_perm(perm, user, obj)


@dataclass(frozen=True)
class Refusal:
    """One reason a permission can fail: `holds` must be true, or the person
    is told `message` (text, or a function of user and object for one that
    names a date) with this HTTP status and stable code."""

    holds: rules.Predicate
    status: int
    code: str
    message: object

    def text(self, user, obj):
        return self.message(user, obj) if callable(self.message) else self.message


REFUSALS = {}

SIGNED_IN = Refusal(rules.is_authenticated, 401, "not_authenticated", "Sign in to do this.")
NOT_ALLOWED = Refusal(rules.always_false, 403, "forbidden", "You are not allowed to do this.")


def refuse(perm, *refusals):
    """Register why `perm` can fail, in the order people should hear it."""
    REFUSALS[perm] = refusals


def why_not(user, perm, obj=None):
    """None if the person may; otherwise the first reason of the permission's
    table that fails for them (NOT_ALLOWED if the table has none left)."""
    if can(user, perm, obj):
        return None
    for refusal in REFUSALS.get(perm, (SIGNED_IN,)):
        if not refusal.holds.test(user, obj):
            return refusal
    return NOT_ALLOWED


rules.add_perm("consult.manage_mission", is_site_admin | is_mission_team)
refuse("consult.manage_mission", SIGNED_IN,
       Refusal(is_site_admin | is_mission_team, 403, "forbidden", "Only this mission's team can do this."))
rules.add_perm("consult.moderate_mission", is_site_admin | is_mission_moderator)
refuse("consult.moderate_mission", SIGNED_IN,
       Refusal(is_site_admin | is_mission_moderator, 403, "forbidden", "Only this mission's moderators can do this."))
rules.add_perm("consult.view_mission_staff_area", is_mission_staff)
refuse("consult.view_mission_staff_area", SIGNED_IN,
       Refusal(is_mission_staff, 403, "forbidden", "Only this mission's team and moderators can see this."))
