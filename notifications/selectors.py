"""Reads: one person's list and unread count, and each person's delivery per kind.

Plain values in (user ids), never the request. Each function runs one query
whatever the number of rows or people (tests/notifications/test_queries.py)."""

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from .models import DEFAULT_DELIVERY, Kind, Notification, NotificationSetting

LIST_FIELDS = ("pk", "kind", "title", "excerpt", "link", "created_at", "read_at")


def notifications_for(user_id: int) -> QuerySet[Notification]:
    """One person's notifications, newest first, with only what the list shows."""
    return Notification.objects.filter(recipient_id=user_id).only(*LIST_FIELDS).order_by("-created_at", "-pk")


def unread_count(user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """{user id: unread count} for these people, in one query (0 for none)."""
    ids = list(user_ids)
    counts = dict.fromkeys(ids, 0)
    rows = (
        Notification.objects.filter(recipient_id__in=ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "n")
    )
    counts.update(rows)
    return counts


def deliveries_for(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """{user id: {kind: delivery}} for these people, defaults filled in, in one query."""
    ids = list(user_ids)
    result = {uid: dict(DEFAULT_DELIVERY) for uid in ids}
    for uid, kind, delivery in NotificationSetting.objects.filter(user_id__in=ids).values_list(
        "user_id", "kind", "delivery"
    ):
        if kind in Kind.values:
            result[uid][kind] = delivery
    return result


def deliveries_of(user_id: int) -> dict[str, str]:
    """{kind: delivery} of one person, defaults filled in."""
    return deliveries_for([user_id])[user_id]
