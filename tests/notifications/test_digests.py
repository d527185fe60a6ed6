"""Daily and weekly digests: one email per person per period, grouping what
waited, sent by the worker's periodic tasks; never twice."""

import pytest
from django.core import mail
from huey.api import PeriodicTask

from notifications import services, tasks
from notifications.models import Delivery, Kind, Notification

from ..factories import UserFactory


def notify(capture, ids, kind, title):
    with capture(execute=True):
        services.notify(ids, kind, title=title, excerpt=f"About {title}", link="/ideas/1/")


@pytest.mark.django_db
def test_the_daily_digest_sends_one_email_per_person_grouping_their_notifications(
        huey_queue, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://commons.example.gov.uk"
    alex, sam, weekly_wren = UserFactory(), UserFactory(), UserFactory()
    for person in (alex, sam):
        services.update_settings(person.pk, {Kind.REPLY: Delivery.DAILY, Kind.STATUS: Delivery.DAILY})
    services.update_settings(weekly_wren.pk, {Kind.FOLLOWED: Delivery.WEEKLY})
    everyone = [alex.pk, sam.pk, weekly_wren.pk]
    notify(django_capture_on_commit_callbacks, everyone, Kind.FOLLOWED, "New idea: Heat pumps")
    notify(django_capture_on_commit_callbacks, everyone, Kind.FOLLOWED, "New idea: Solar roofs")
    notify(django_capture_on_commit_callbacks, [alex.pk], Kind.REPLY, "New reply to your comment")
    notify(django_capture_on_commit_callbacks, [sam.pk], Kind.STATUS, "Status changed to Shortlisted")
    assert mail.outbox == []  # nothing at once

    assert tasks.send_digests(Delivery.DAILY) == 2
    by_person = {tuple(m.to): m for m in mail.outbox}
    assert set(by_person) == {(alex.email,), (sam.email,)}  # one each; weekly_wren waits
    alex_mail = by_person[(alex.email,)]
    assert alex_mail.subject == f"[{settings.SITE_NAME}] Your daily digest: 3 notifications"
    body = alex_mail.body
    assert body.index("Replies to me") < body.index("New reply to your comment")
    assert body.index("Activity on things I follow") < body.index("New idea: Heat pumps") < body.index("New idea: Solar roofs")
    assert "About New idea: Heat pumps" in body and "https://commons.example.gov.uk/ideas/1/" in body
    assert "Status changed" not in body
    assert alex_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in alex_mail.extra_headers["List-Unsubscribe"]
    assert not Notification.objects.filter(recipient__in=[alex, sam], emailed_at__isnull=True).exists()

    # A second run (another worker, or the next day with nothing new) sends nothing again.
    assert tasks.send_digests(Delivery.DAILY) == 0
    assert len(mail.outbox) == 2

    tasks.weekly_digest.call_local()
    assert [m.to for m in mail.outbox[2:]] == [[weekly_wren.email]]
    assert "Your weekly digest: 2 notifications" in mail.outbox[2].subject


@pytest.mark.django_db
def test_what_waits_for_a_digest_follows_the_current_settings(user, huey_queue, django_capture_on_commit_callbacks):
    notify(django_capture_on_commit_callbacks, [user.pk], Kind.FOLLOWED, "First")  # daily by default
    services.update_settings(user.pk, {Kind.FOLLOWED: Delivery.WEEKLY})
    assert tasks.send_digests(Delivery.DAILY) == 0 and mail.outbox == []
    services.update_settings(user.pk, {Kind.FOLLOWED: Delivery.OFF})
    assert tasks.send_digests(Delivery.WEEKLY) == 0
    tasks.send_digests(Delivery.DAILY)
    assert mail.outbox == [] and not Notification.objects.filter(digest_pending=True).exists()


@pytest.mark.django_db
def test_the_digests_are_periodic_tasks_of_the_worker():
    import datetime

    daily, weekly = tasks.daily_digest.task_class(), tasks.weekly_digest.task_class()
    assert isinstance(daily, PeriodicTask) and isinstance(weekly, PeriodicTask)
    monday_7 = datetime.datetime(2026, 11, 30, 7, 0)  # noqa: DTZ001 - Huey's crontab reads naive times
    tuesday_7 = monday_7 + datetime.timedelta(days=1)
    assert daily.validate_datetime(monday_7) and daily.validate_datetime(tuesday_7)
    assert not daily.validate_datetime(monday_7.replace(hour=8))
    assert weekly.validate_datetime(monday_7) and not weekly.validate_datetime(tuesday_7)
