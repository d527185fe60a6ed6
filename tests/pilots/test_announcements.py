"""People hear back (issue #18, item 4): the authors and followers of the
ideas a pilot tests are told when it starts, reports a result and concludes,
once each, in the site's notifications and by email as they chose."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail

from ideas.models import Follow
from notifications.models import Delivery, Kind, Notification, NotificationSetting
from pilots import services
from pilots.models import PilotResult, PilotStatus

from ..factories import IdeaFactory, PilotFactory, UserFactory


def _publish(pilot, user=None, **changes):
    for name, value in changes.items():
        setattr(pilot, name, value)
    pilot.save_revision(user=user).publish(user=user)
    pilot.refresh_from_db()
    return pilot


@pytest.fixture
def planned(mission):
    return PilotFactory(parent=mission, title="Warm homes", status=PilotStatus.PLANNED)


@pytest.fixture
def people(call, planned, team_member, mission):
    from consult.roles import sync_user

    sync_user(team_member, mission)  # the team's Wagtail group, as the membership's on-commit hook does
    idea = IdeaFactory(call=call)
    Follow.objects.create(user=idea.author, idea=idea)
    follower = UserFactory()
    Follow.objects.create(user=follower, idea=idea)
    services.take_forward(team_member, idea, planned.pk)
    Notification.objects.all().delete()
    return idea.author, follower


def _titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


@pytest.mark.django_db
def test_start_result_and_end_are_each_told_once(planned, people, team_member):
    author, follower = people
    _publish(planned, team_member, status=PilotStatus.RUNNING)
    assert _titles(author) == ["The pilot “Warm homes”, which tests an idea you follow, has started"]
    _publish(planned, team_member)  # published again: nothing new
    assert len(_titles(author)) == 1

    start = planned.starts_on
    planned.results = [PilotResult(date=start + timedelta(days=30), value=Decimal("22.5"), commentary="Fewer missed visits")]
    _publish(planned, team_member)
    assert _titles(follower)[-1] == "New result from the pilot “Warm homes”: 22.5%"
    assert Notification.objects.filter(recipient=follower).order_by("pk").last().excerpt == "Fewer missed visits"

    _publish(planned, team_member, status=PilotStatus.STOPPED, lesson="Letters did not reach the families.",
             decision="stop", decision_reason="No change after 3 months.")
    assert _titles(author)[-1] == "The pilot “Warm homes” has stopped: what we learned"
    assert Notification.objects.filter(recipient=author).order_by("pk").last().excerpt == "Letters did not reach the families."
    assert len(_titles(author)) == 3 and len(_titles(follower)) == 3
    assert not Notification.objects.filter(recipient=team_member).exists()  # the one who acted
    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.STATUS}
    assert set(Notification.objects.values_list("link", flat=True)) == {planned.url}


@pytest.mark.django_db
def test_publishing_an_older_revision_tells_nobody_twice(planned, people, team_member):
    author, _ = people
    _publish(planned, team_member, status=PilotStatus.RUNNING)
    old = planned.latest_revision
    _publish(planned, team_member, status=PilotStatus.CONCLUDED, lesson="It worked.", decision="scale",
             decision_reason="Missed visits halved.")
    old.publish(user=team_member)
    _publish(planned.specific_class.objects.get(pk=planned.pk), team_member)
    assert len(_titles(author)) == 2


@pytest.mark.django_db
def test_hidden_ideas_people_are_not_told(planned, people, team_member):
    author, follower = people
    from ideas.models import Idea, Visibility

    Idea.objects.update(visibility=Visibility.HIDDEN)
    _publish(planned, team_member, status=PilotStatus.RUNNING)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_emails_follow_each_persons_settings(planned, people, team_member, commit):
    author, follower = people
    NotificationSetting.objects.create(user=follower, kind=Kind.STATUS, delivery=Delivery.OFF)
    mail.outbox.clear()
    with commit():
        _publish(planned, team_member, status=PilotStatus.RUNNING)
    assert [m.to for m in mail.outbox] == [[author.email]]
    assert "Warm homes" in mail.outbox[0].subject
    assert len(_titles(follower)) == 1  # still in the site's list


@pytest.mark.django_db
def test_republishing_a_pilot_with_many_results_writes_only_what_is_new(planned, people, team_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pilots import signals
    from pilots.models import PilotAnnouncement

    author, _ = people
    start = planned.starts_on
    planned.results = [PilotResult(date=start + timedelta(days=n), value=Decimal(n), commentary=f"Week {n}")
                       for n in range(1, 41)]
    _publish(planned, team_member, status=PilotStatus.RUNNING)
    assert len(_titles(author)) == 41  # started, and each of the forty results, once
    told = PilotAnnouncement.objects.filter(pilot=planned).count()

    with CaptureQueriesContext(connection) as nothing_new:
        signals.announce_pilot(planned, team_member)
    writes = [q for q in nothing_new.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "SAVEPOINT"))]
    assert writes == [] and len(nothing_new.captured_queries) <= 3
    assert PilotAnnouncement.objects.filter(pilot=planned).count() == told and len(_titles(author)) == 41
