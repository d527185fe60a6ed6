"""The digests' write: each person's notifications waiting for a period's
digest, claimed by the worker's periodic task (notifications/tasks.py), which
notifications/services.py queues from: apart from the services so that the
tasks import them and not the other way round."""

from django.db import transaction

from . import selectors
from .models import Delivery, Notification

# Which current settings a period's digest takes: the daily one also takes
# what was waiting for a digest when its kind was switched to "at once".
PERIOD_TAKES = {
    Delivery.DAILY: {Delivery.DAILY, Delivery.IMMEDIATE},
    Delivery.WEEKLY: {Delivery.WEEKLY},
}


def claim_digests(period):
    """[(user id, [notification ids])]: each person's notifications waiting for
    this period's digest, taken off the waiting list in the same transaction
    (rows locked on PostgreSQL; SQLite's IMMEDIATE transactions serialise), so
    two runs at once never claim the same row. Notifications of a kind whose
    emails are now off stop waiting and are not sent."""
    period = Delivery(period)
    takes = PERIOD_TAKES[period]
    waiting = list(
        Notification.objects.filter(digest_pending=True).order_by().values_list("recipient_id", flat=True).distinct()
    )
    deliveries = selectors.deliveries_for(waiting)
    batches = []
    for uid in waiting:
        kinds = [kind for kind, delivery in deliveries[uid].items() if delivery in takes]
        off = [kind for kind, delivery in deliveries[uid].items() if delivery == Delivery.OFF]
        with transaction.atomic():
            if off:
                Notification.objects.filter(recipient_id=uid, digest_pending=True, kind__in=off).update(
                    digest_pending=False
                )
            if not kinds:
                continue
            ids = list(
                Notification.objects.select_for_update()
                .filter(recipient_id=uid, digest_pending=True, kind__in=kinds)
                .order_by("created_at", "pk")
                .values_list("pk", flat=True)
            )
            if ids:
                Notification.objects.filter(pk__in=ids).update(digest_pending=False)
                batches.append((uid, ids))
    return batches
