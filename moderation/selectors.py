"""Reads for the moderation queue, the audit log and the transparency report."""

from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User

from consult.models import ChallengeCallPage, MissionMembership, MissionPage
from consult.rules import is_site_admin
from ideas.models import Comment, Idea, Visibility
from .models import Flag, FlagReason, ModerationAction

from .services import with_standing

STATES = {"pending": "Awaiting approval", "held": "Held for review", "flagged": "Flagged", "hidden": "Hidden"}


def moderated_missions(user: User | AnonymousUser) -> QuerySet[MissionPage]:
    """The missions whose queues this person works: those they moderate,
    or all of them for a site admin. The same permission as every queue page
    (consult.moderate_mission), read for many missions in one query."""
    if not user.is_authenticated:
        return MissionPage.objects.none()
    missions = MissionPage.objects.all() if is_site_admin(user) else MissionPage.objects.filter(
        pk__in=MissionMembership.objects.filter(user=user, role=MissionMembership.ROLE_MODERATOR).values("mission_id"))
    return missions.order_by("title")


def mission_calls(mission: MissionPage) -> QuerySet[ChallengeCallPage]:
    return ChallengeCallPage.objects.filter(path__startswith=mission.path, depth=mission.depth + 1)


def _open_flags():
    return Prefetch(
        "flags", queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("user"), to_attr="open_flags"
    )


def queue(mission: MissionPage, state: str = "", kind: str = "", reason: str = "") -> list[dict]:
    """Items needing a decision, oldest first: pending, held, flagged (and hidden on request)."""
    calls = mission_calls(mission)
    states = [state] if state in STATES else ["pending", "held", "flagged"]
    rows = []
    for model, name in ((Idea, "idea"), (Comment, "comment")):
        if kind and kind != name:
            continue
        base = model.objects.filter(call__in=calls) if model is Idea else model.objects.filter(idea__call__in=calls)
        condition = Q()
        if "pending" in states:
            condition |= Q(visibility=Visibility.PENDING)
        if "held" in states:
            condition |= Q(visibility=Visibility.HELD)
        if "hidden" in states:
            condition |= Q(visibility=Visibility.HIDDEN)
        if "flagged" in states:
            condition |= Q(visibility=Visibility.PUBLISHED, flags__isnull=False, flags__resolved_at__isnull=True)
        qs = base.filter(condition)
        if reason:
            qs = qs.filter(flags__reason=reason, flags__resolved_at__isnull=True)
        related = ["author__profile", "call"] if model is Idea else ["author__profile", "idea"]
        qs = qs.select_related(*related).prefetch_related(_open_flags()).distinct().order_by("pk")[:500]
        for item in qs:
            rows.append({"kind": name, "item": item, "key": f"{name}:{item.pk}", "flags": item.open_flags,
                         "created_at": item.created_at})
    rows.sort(key=lambda row: row["created_at"])
    _mark_standing([flag for row in rows for flag in row["flags"]])
    return rows


def _mark_standing(flags):
    """flag.counts: whether its author's flag counts towards a hold (one query)."""
    ids = {flag.user_id for flag in flags}
    standing = set(with_standing(get_user_model().objects.filter(pk__in=ids)).values_list("pk", flat=True)) if ids else set()
    for flag in flags:
        flag.counts = flag.user_id in standing


def waiting_counts(missions: Iterable[MissionPage]) -> dict[int, int]:
    """Per mission: ideas and comments pending or held (three queries in all)."""
    by_path = {m.path: m.pk for m in missions}
    calls = {}
    for call_id, path in ChallengeCallPage.objects.values_list("pk", "path"):
        mission_id = by_path.get(path[: -ChallengeCallPage.steplen])
        if mission_id is not None:
            calls[call_id] = mission_id
    waiting = {}
    states = [Visibility.PENDING, Visibility.HELD]
    for call_id, n in Idea.objects.filter(call_id__in=calls, visibility__in=states).values_list("call_id").annotate(n=Count("id")):
        waiting[calls[call_id]] = waiting.get(calls[call_id], 0) + n
    for call_id, n in (Comment.objects.filter(idea__call_id__in=calls, visibility__in=states)
                       .values_list("idea__call_id").annotate(n=Count("id"))):
        waiting[calls[call_id]] = waiting.get(calls[call_id], 0) + n
    return waiting


def counts(mission: MissionPage) -> dict:
    calls = mission_calls(mission)
    result = {}
    for name, model, filt in (("idea", Idea, Q(call__in=calls)), ("comment", Comment, Q(idea__call__in=calls))):
        result[f"{name}_pending"] = model.objects.filter(filt, visibility=Visibility.PENDING).count()
        result[f"{name}_held"] = model.objects.filter(filt, visibility=Visibility.HELD).count()
    return result


def audit_log(mission: MissionPage) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(mission=mission).select_related("moderator__profile", "idea", "comment", "subject__profile")


def transparency(mission: MissionPage) -> list[dict]:
    """Moderation actions by month and reason: counts only, no personal data."""
    rows = (
        ModerationAction.objects.filter(mission=mission)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "kind", "reason")
        .annotate(count=Count("id"))
        .order_by("month", "kind", "reason")
    )
    return [
        {
            "month": row["month"].strftime("%Y-%m"),
            "action": row["kind"],
            "action_label": ModerationAction.Kind(row["kind"]).label,
            "reason": row["reason"] or "unspecified",
            "reason_label": FlagReason(row["reason"]).label if row["reason"] in FlagReason.values else "Not given",
            "count": row["count"],
        }
        for row in rows
    ]
