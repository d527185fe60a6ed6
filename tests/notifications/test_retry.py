"""A send that fails is retried by the worker (3 times, 30 seconds apart) and
logged; the notification is marked emailed only once its email went."""

import logging

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from notifications import services, tasks
from notifications.models import Kind, Notification

from .conftest import run_due


@pytest.mark.django_db
def test_a_failed_send_is_retried_and_logged(user, huey_queue, monkeypatch, caplog,
                                             django_capture_on_commit_callbacks):
    attempts = []
    real_send = EmailBackend.send_messages

    def flaky(self, messages):
        attempts.append(len(messages))
        if len(attempts) == 1:
            raise ConnectionRefusedError("mail server down")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    caplog.set_level(logging.WARNING, logger="cms.tasks")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([user.pk], Kind.REPLY, title="New reply")  # the write succeeds whatever the mail server does
    note = Notification.objects.get()
    assert attempts == [1] and mail.outbox == [] and note.emailed_at is None
    assert any("send_notification_email" in r.getMessage() and "retrying in 30s" in r.getMessage()
               for r in caplog.records)

    assert run_due(huey_queue, seconds_ahead=29) == 0  # not before the delay
    assert run_due(huey_queue, seconds_ahead=31) == 1
    assert attempts == [1, 1] and len(mail.outbox) == 1
    note.refresh_from_db()
    assert note.emailed_at is not None
    assert run_due(huey_queue, seconds_ahead=120) == 0  # sent once, nothing left

    task_class = tasks.send_notification_email.task_class
    assert (task_class.default_retries, task_class.default_retry_delay) == (3, 30)
    digest_class = tasks.send_digest_email.task_class
    assert (digest_class.default_retries, digest_class.default_retry_delay) == (3, 30)
