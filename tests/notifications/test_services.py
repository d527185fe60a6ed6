"""Recording notifications, settings per kind and delivery, the emails sent
at once, reading and marking read."""

import pytest
from django.core import mail
from django.db import transaction

from notifications import selectors, services, tasks
from notifications.models import Delivery, Kind, Notification

from ..factories import UserFactory
from .conftest import seq_of, user_events


def notify(capture, ids, kind=Kind.REPLY, **fields):
    fields = {"title": "New comment on your idea “Heat”", "excerpt": "Share **heat**", "link": "/ideas/4/", **fields}
    with capture(execute=True):
        return services.notify(ids, kind, **fields)


@pytest.mark.django_db
def test_a_notification_is_recorded_and_emailed_at_once_with_excerpt_link_and_site_name(
        user, huey_queue, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://commons.example.gov.uk"
    notify(django_capture_on_commit_callbacks, [user.pk], excerpt="We could share waste heat\n\nbetween homes.")
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.read_at, note.digest_pending) == (user, "reply", None, False)
    assert note.emailed_at is not None
    [email] = mail.outbox
    assert email.to == [user.email]
    assert email.subject == f"[{settings.SITE_NAME}] New comment on your idea “Heat”"
    assert "We could share waste heat\n\nbetween homes." in email.body
    assert "https://commons.example.gov.uk/ideas/4/" in email.body
    assert "https://commons.example.gov.uk/notifications/unsubscribe/" in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith("<https://commons.example.gov.uk/notifications/unsubscribe/")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_nothing_is_recorded_or_sent_when_the_write_rolls_back(user, huey_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.notify([user.pk], Kind.REPLY, title="t")
            raise RuntimeError("the write failed")
    assert not Notification.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_the_email_waits_for_the_commit(user, huey_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify([user.pk], Kind.REPLY, title="t")
    assert Notification.objects.count() == 1 and mail.outbox == []  # recorded, not yet sent
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("kind", Kind.values)
def test_each_kinds_delivery_is_respected(kind, huey_queue, django_capture_on_commit_callbacks):
    people = {delivery: UserFactory() for delivery in Delivery.values}
    for delivery, person in people.items():
        services.update_settings(person.pk, {kind: delivery})
    other_kinds = [k for k in Kind.values if k != kind]
    for person in people.values():  # the other kinds' settings do not decide this kind
        services.update_settings(person.pk, dict.fromkeys(other_kinds, Delivery.OFF))
    notify(django_capture_on_commit_callbacks, [p.pk for p in people.values()], kind)

    assert [m.to for m in mail.outbox] == [[people[Delivery.IMMEDIATE].email]]
    rows = {n.recipient_id: n for n in Notification.objects.all()}
    assert len(rows) == 4  # everyone's list has it, whatever their emails
    assert {d for d, p in people.items() if rows[p.pk].digest_pending} == {Delivery.DAILY, Delivery.WEEKLY}


@pytest.mark.django_db
def test_defaults_at_once_for_replies_daily_for_what_one_follows(user, huey_queue, django_capture_on_commit_callbacks):
    assert selectors.deliveries_of(user.pk)[Kind.REPLY] == Delivery.IMMEDIATE
    notify(django_capture_on_commit_callbacks, [user.pk], Kind.FOLLOWED)
    assert mail.outbox == [] and Notification.objects.get().digest_pending


@pytest.mark.django_db
def test_each_person_once_and_inactive_accounts_skipped(user, huey_queue, django_capture_on_commit_callbacks):
    gone = UserFactory(is_active=False)
    notify(django_capture_on_commit_callbacks, [user.pk, user.pk, gone.pk, None])
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [user.pk]


@pytest.mark.django_db
def test_links_stay_on_the_site_and_long_text_is_cut(user, huey_queue, django_capture_on_commit_callbacks):
    notify(django_capture_on_commit_callbacks, [user.pk], link="https://evil.example/", title="x" * 500)
    note = Notification.objects.get()
    assert note.link == "" and len(note.title) == 200 and note.title.endswith("…")


@pytest.mark.django_db
def test_mark_read_and_mark_all_read_publish_the_unread_count(user, other_user, huey_queue,
                                                               django_capture_on_commit_callbacks):
    notes = [notify(django_capture_on_commit_callbacks, [user.pk])[0] for _ in range(3)]
    assert selectors.unread_count(user.pk) == 3
    since = seq_of(user)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_read(user.pk, notes[0].pk)
    assert selectors.unread_count(user.pk) == 2
    assert user_events(user, since) == [("notification.read", {"unread": 2})]
    with pytest.raises(services.NotificationError) as error:
        services.mark_read(other_user.pk, notes[1].pk)  # someone else's does not exist
    assert error.value.status == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mark_all_read(user.pk) == 2
    assert selectors.unread_count(user.pk) == 0
    assert user_events(user, since)[-1] == ("notification.read", {"unread": 0})


@pytest.mark.django_db
def test_a_new_notification_publishes_the_recipients_unread_count(user, other_user, huey_queue,
                                                                   django_capture_on_commit_callbacks):
    notify(django_capture_on_commit_callbacks, [user.pk])
    since, other_since = seq_of(user), seq_of(other_user)
    notify(django_capture_on_commit_callbacks, [user.pk, other_user.pk], Kind.STATUS, title="Status changed")
    [(event, data)] = user_events(user, since)
    assert event == "notification" and data == {"kind": "status", "title": "Status changed", "unread": 2}
    assert user_events(other_user, other_since)[0][1]["unread"] == 1


@pytest.mark.django_db
def test_bad_settings_are_refused_and_store_nothing(user):
    with pytest.raises(services.NotificationError) as error:
        services.update_settings(user.pk, {Kind.REPLY: Delivery.OFF, Kind.STATUS: "hourly"})
    assert error.value.field == "status" and "status changes" in error.value.message
    with pytest.raises(services.NotificationError):
        services.update_settings(user.pk, {"gossip": Delivery.OFF})
    assert selectors.deliveries_of(user.pk)[Kind.REPLY] == Delivery.IMMEDIATE


@pytest.mark.django_db
def test_an_email_is_not_sent_once_the_kind_is_turned_off(user, huey_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify([user.pk], Kind.REPLY, title="t")
    services.update_settings(user.pk, {Kind.REPLY: Delivery.OFF})
    for callback in callbacks:
        callback()
    assert mail.outbox == []


@pytest.mark.django_db
def test_many_people_are_told_from_the_worker_not_the_request(huey_queue, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    people = [UserFactory() for _ in range(services.INLINE_MAX + 1)]
    for person in people:
        services.update_settings(person.pk, {Kind.STATUS: Delivery.IMMEDIATE})
    fanned = []
    real = tasks.fan_out
    monkeypatch.setattr(tasks, "fan_out", lambda *args: (fanned.append(len(args[1])), real(*args)))
    since = seq_of(people[-1])
    notify(django_capture_on_commit_callbacks, [p.pk for p in people], Kind.STATUS)
    assert fanned == [len(people)]  # one task (notifications.tasks.fan_out) for all of them
    assert len(mail.outbox) == len(people)  # each email still its own retried task
    assert user_events(people[-1], since)[0][1]["unread"] == 1
