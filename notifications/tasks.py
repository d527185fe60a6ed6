"""The background work of notifications: each email sent at once, and the
daily and weekly digests.

Emails go from the worker (`manage.py run_huey`), never from a request: a
slow or failing mail server delays nobody's page. A send that fails raises,
so Huey retries it (3 times, 30 seconds apart) and cms/tasks.py logs each
failure and any task that gives up. A notification is marked emailed only
after its email went, so a retry sends what failed and nothing twice.

The digests are periodic tasks (07:00 UTC daily; 07:00 UTC on Mondays
weekly): each claims every person's waiting notifications
(digests.claim_digests, safe when two workers run it at once) and queues
one email per person, itself a retried task."""

import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from live.events import NOTIFICATION

from . import counts, digests, emails, selectors
from .models import Delivery, Notification

logger = logging.getLogger("missioncommons.notifications")

RETRIES = settings.TASK_RETRIES  # the project's retry policy (cms/settings/base.py)
RETRY_DELAY = settings.TASK_RETRY_DELAY
DIGEST_HOUR = "7"  # UTC


def _can_email(user):
    return bool(user.is_active and user.email)


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def send_notification_email(notification_id):
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id, emailed_at__isnull=True).first()
    )
    if notification is None or not _can_email(notification.recipient):
        return
    # The person may have turned these emails off since.
    if selectors.deliveries_of(notification.recipient_id)[notification.kind] == Delivery.OFF:
        return
    emails.notification_message(notification).send(fail_silently=False)
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    logger.info("emailed notification %s (%s) to user %s", notification_id, notification.kind,
                notification.recipient_id)


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def fan_out(email_ids, recipient_ids, data):
    """Many people notified at once: their emails queued, their counts published, here rather than in the request."""
    for pk in email_ids:
        send_notification_email(pk)
    counts.publish_unread(recipient_ids, NOTIFICATION, data)


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def send_digest_email(user_id, notification_ids, period):
    rows = list(
        Notification.objects.select_related("recipient")
        .filter(Q(pk__in=notification_ids), Q(recipient_id=user_id), Q(emailed_at__isnull=True))
        .order_by("created_at", "pk")
    )
    if not rows or not _can_email(rows[0].recipient):
        return
    emails.digest_message(rows[0].recipient, rows, period).send(fail_silently=False)
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=timezone.now())
    logger.info("emailed a %s digest of %d notifications to user %s", period, len(rows), user_id)


def send_digests(period):
    """Claim each person's waiting notifications and queue one email per person."""
    batches = digests.claim_digests(period)
    for user_id, ids in batches:
        send_digest_email(user_id, ids, str(period))
    if batches:
        logger.info("%s digest: %d people", period, len(batches))
    return len(batches)


@db_periodic_task(crontab(hour=DIGEST_HOUR, minute="0"))
def daily_digest():
    send_digests(Delivery.DAILY)


@db_periodic_task(crontab(day_of_week="1", hour=DIGEST_HOUR, minute="0"))
def weekly_digest():
    send_digests(Delivery.WEEKLY)
