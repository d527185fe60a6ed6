"""Writes: record notifications, mark them read, change settings, unsubscribe
(claiming each person's notifications for a digest is notifications/digests.py).

`notify` is called by the apps above (ideas, moderation) inside their own
write's transaction, so a notification exists exactly when the write does.
Emails never go from the request: after the commit each notification to be
sent at once becomes a background task (notifications/tasks.py, retried on
failure); the rest wait for the daily or weekly digest. The person's open
pages hear the new unread count on their `user:<id>` topic."""

from collections.abc import Iterable, Mapping

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from live.events import NOTIFICATION, NOTIFICATION_READ

from . import counts, selectors, tasks, tokens
from .models import EXCERPT_MAX, LINK_MAX, TITLE_MAX, Delivery, Kind, Notification, NotificationSetting

logger = logging.getLogger("missioncommons.notifications")


class NotificationError(Exception):
    """Bad input: a clear message, the field it is about, an HTTP status."""

    def __init__(self, message, field=None, status=400, code="invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.code = code


def _line(text, limit):
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _excerpt(text, limit):
    """Paragraphs kept, other white space folded, cut at `limit` characters."""
    paragraphs = [" ".join(part.split()) for part in str(text or "").replace("\r", "").split("\n\n")]
    text = "\n\n".join(p for p in paragraphs if p)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _link(path):
    path = str(path or "")
    # Only paths on this site: an email or the list never links elsewhere.
    return path if path.startswith("/") and not path.startswith("//") and len(path) <= LINK_MAX else ""


def notify(recipient_ids: Iterable[int], kind: str, *, title: str, excerpt: str = "", link: str = "") -> list[Notification]:
    """Record one notification of `kind` for each of these people (ids; the
    same person once), in the caller's transaction. Returns the rows."""
    kind = Kind(kind)
    ids = sorted({int(pk) for pk in recipient_ids if pk is not None})
    if not ids:
        return []
    title, excerpt, link = _line(title, TITLE_MAX), _excerpt(excerpt, EXCERPT_MAX), _link(link)
    with transaction.atomic():
        ids = list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk").values_list("pk", flat=True))
        deliveries = selectors.deliveries_for(ids)
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=uid, kind=kind, title=title, excerpt=excerpt, link=link,
                    digest_pending=deliveries[uid][kind] in (Delivery.DAILY, Delivery.WEEKLY),
                )
                for uid in ids
            ]
        )
        at_once = [row.pk for row in rows if deliveries[row.recipient_id][kind] == Delivery.IMMEDIATE]
        transaction.on_commit(lambda: _after_notify(at_once, ids, kind, title))
    return rows


# Up to this many people, the request that caused the notifications queues
# their emails and publishes their unread counts itself, at once. Beyond it
# (a mission with a thousand followers), one task does it in the worker, so
# the request does not wait for a thousand publishes (3.8 s for 1,000 people
# on PostgreSQL and Redis, measured on the 2-core CI machine), and the live
# events reach the pages through the shared layer or live/relay.py.
INLINE_MAX = 25


def _after_notify(email_ids, recipient_ids, kind, title):
    data = {"kind": str(kind), "title": title}
    try:
        if len(recipient_ids) > INLINE_MAX:
            tasks.fan_out(list(email_ids), list(recipient_ids), data)
            return
        for pk in email_ids:
            tasks.send_notification_email(pk)
    except Exception:  # the queue is down: the write stands, the list has it
        logger.exception("could not queue the emails of notifications %s", list(email_ids)[:20])
    counts.publish_unread(recipient_ids, NOTIFICATION, data)




def mark_read(user_id: int, notification_id: int) -> int:
    """Mark one of this person's notifications read; someone else's does not exist."""
    with transaction.atomic():
        exists = Notification.objects.filter(pk=notification_id, recipient_id=user_id)
        if not exists.exists():
            raise NotificationError("No such notification.", status=404, code="not_found")
        changed = exists.filter(read_at__isnull=True).update(read_at=timezone.now())
        if changed:
            transaction.on_commit(lambda: counts.publish_unread([user_id], NOTIFICATION_READ, {}))
    return changed


def mark_all_read(user_id: int) -> int:
    with transaction.atomic():
        changed = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).update(read_at=timezone.now())
        if changed:
            transaction.on_commit(lambda: counts.publish_unread([user_id], NOTIFICATION_READ, {}))
    return changed


def update_settings(user_id: int, choices: Mapping[str, str]) -> dict[str, str]:
    """Set this person's delivery for each kind in `choices` ({kind: delivery})."""
    cleaned = {}
    for kind, delivery in choices.items():
        if kind not in Kind.values:
            raise NotificationError("Choose a kind of notification from the list.", field="kind", code="invalid_choice")
        if delivery not in Delivery.values:
            raise NotificationError(f"Choose how we tell you about “{Kind(kind).label.lower()}”.", field=kind,
                                    code="invalid_choice")
        cleaned[kind] = delivery
    with transaction.atomic():
        for kind, delivery in cleaned.items():
            NotificationSetting.objects.update_or_create(user_id=user_id, kind=kind, defaults={"delivery": delivery})
    return selectors.deliveries_of(user_id)


def unsubscribe(token: str) -> tuple[int, list[str]]:
    """Turn off the emails of the kinds the token names. Returns (user id, kinds)."""
    try:
        user_id, kinds = tokens.read(token)
    except tokens.BadToken as error:
        raise NotificationError(str(error), status=400, code="bad_token") from None
    if not get_user_model().objects.filter(pk=user_id).exists():
        raise NotificationError("This unsubscribe link is for an account that no longer exists.", status=404,
                                code="not_found")
    update_settings(user_id, dict.fromkeys(kinds, Delivery.OFF))
    return user_id, kinds
