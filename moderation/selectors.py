"""Reads for the moderation queue, the audit log and the transparency report."""

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType

from consult.models import ChallengeCallPage, MissionPage
from consult.rules import moderated_missions as missions_moderated_by
from ideas import kinds
from ideas.models import Visibility
from .models import Flag, FlagReason, ModerationAction

from .services import about, with_standing

STATES = {"pending": "Awaiting approval", "held": "Held for review", "flagged": "Flagged", "hidden": "Hidden"}


def moderated_missions(user: User | AnonymousUser) -> QuerySet[MissionPage]:
    """The missions whose queues this person works, by title: the
    `consult.moderate_mission` permission read as a query, defined beside it
    (consult/rules.py)."""
    return missions_moderated_by(user).order_by("title")


def mission_calls(mission: MissionPage) -> QuerySet[ChallengeCallPage]:
    return ChallengeCallPage.objects.filter(path__startswith=mission.path, depth=mission.depth + 1)


def _open_flags(kind, items):
    """The open flags of these items of one kind, by item id (one query)."""
    by_item = {}
    flags = (Flag.objects.filter(content_type=ContentType.objects.get_for_model(kind.model), resolved_at__isnull=True,
                                 object_id__in=[item.pk for item in items])
             .select_related("user").order_by("pk"))
    for flag in flags:
        by_item.setdefault(flag.object_id, []).append(flag)
    return by_item


def _flagged(kind, open_only=True, reason=""):
    flags = Flag.objects.filter(content_type=ContentType.objects.get_for_model(kind.model))
    if open_only:
        flags = flags.filter(resolved_at__isnull=True)
    if reason:
        flags = flags.filter(reason=reason)
    return flags.values("object_id")


def queue(mission: MissionPage, state: str = "", kind: str = "", reason: str = "") -> list[dict]:
    """Items needing a decision, oldest first: pending, held, flagged (and
    hidden on request), of every kind of contribution (ideas/kinds.py)."""
    calls = mission_calls(mission)
    states = [state] if state in STATES else ["pending", "held", "flagged"]
    rows = []
    for entry in kinds.all_kinds():
        if kind and kind != entry.name:
            continue
        condition = Q()
        if "pending" in states:
            condition |= Q(visibility=Visibility.PENDING)
        if "held" in states:
            condition |= Q(visibility=Visibility.HELD)
        if "hidden" in states:
            condition |= Q(visibility=Visibility.HIDDEN)
        if "flagged" in states:
            condition |= Q(visibility=Visibility.PUBLISHED, pk__in=_flagged(entry))
        qs = kinds.in_pages(entry, calls).filter(condition)
        if reason:
            qs = qs.filter(pk__in=_flagged(entry, reason=reason))
        related = [f"{entry.author_field}__profile", entry.page]
        items = list(qs.select_related(*related).order_by("pk")[:500])
        flags = _open_flags(entry, items)
        for item in items:
            rows.append({"kind": entry.name, "label": entry.label, "item": item, "title": entry.title(item),
                         "key": f"{entry.name}:{item.pk}", "flags": flags.get(item.pk, []),
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
    """Per mission: contributions of every kind pending or held (one query
    per kind, and one for the calls)."""
    by_path = {m.path: m.pk for m in missions}
    calls = {}
    for call_id, path in ChallengeCallPage.objects.values_list("pk", "path"):
        mission_id = by_path.get(path[: -ChallengeCallPage.steplen])
        if mission_id is not None:
            calls[call_id] = mission_id
    waiting = {}
    states = [Visibility.PENDING, Visibility.HELD]
    for entry in kinds.all_kinds():
        rows = (entry.model.objects.filter(**{f"{entry.page}_id__in": calls}, visibility__in=states)
                .values_list(f"{entry.page}_id").annotate(n=Count("id")))
        for call_id, n in rows:
            waiting[calls[call_id]] = waiting.get(calls[call_id], 0) + n
    return waiting


def counts(mission: MissionPage) -> dict:
    calls = mission_calls(mission)
    result = {}
    for entry in kinds.all_kinds():
        rows = kinds.in_pages(entry, calls)
        result[f"{entry.name}_pending"] = rows.filter(visibility=Visibility.PENDING).count()
        result[f"{entry.name}_held"] = rows.filter(visibility=Visibility.HELD).count()
    return result


def audit_log(mission: MissionPage) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(mission=mission).select_related("moderator__profile", "content_type", "subject__profile")


def item_flags(item: object) -> QuerySet[Flag]:
    """Every flag of one item, newest first (the item's page in the queue)."""
    return Flag.objects.filter(**about(item)).select_related("user").order_by("-created_at")


def item_actions(item: object) -> QuerySet[ModerationAction]:
    """The decisions taken on one item (its page in the queue)."""
    return ModerationAction.objects.filter(**about(item)).select_related("moderator__profile")


def transparency(mission: MissionPage) -> list[dict]:
    """Moderation actions by month and reason: counts only, no personal data."""
    rows = (
        ModerationAction.objects.filter(mission=mission).exclude(kind=ModerationAction.Kind.SCORE)
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
