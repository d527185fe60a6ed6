"""The signed-in header (cms/header.py): kept per person, so a second page
asks nothing for it, and every change it shows reaches the next page: a
new notification and reading it, becoming or ceasing to be a moderator,
admin access through a group or the superuser flag."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms import pagecache
from consult.models import MissionMembership
from notifications import services as notifications
from notifications.models import Kind, Notification

from ..factories import MembershipFactory, UserFactory

HEADER_TABLES = ("notifications_notification", "auth_permission", "consult_missionmembership")


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.bump_site()


def header(client):
    """(unread count shown, Moderation link?, Admin link?, the queries the page asked of the header's tables)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/missions/")
    assert response.status_code == 200
    html = response.content.decode()
    badge = re.search(r'<span data-unread-count[^>]*?( hidden)?><strong[^>]*><span data-unread-number>(\d+)<', html)
    unread = 0 if badge.group(1) else int(badge.group(2))
    asked = [q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in HEADER_TABLES)]
    return unread, ">Moderation</a>" in html, ">Admin</a>" in html, asked


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_second_page_asks_nothing_for_the_header(site):
    client = signed_in(UserFactory())
    assert header(client)[3]  # the first page reads it
    unread, moderates, admin, asked = header(client)
    assert (unread, moderates, admin, asked) == (0, False, False, [])


@pytest.mark.django_db
def test_a_notification_and_reading_it_reach_the_next_page(site, django_capture_on_commit_callbacks):
    user = UserFactory()
    client = signed_in(user)
    header(client)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([user.pk], Kind.STATUS, title="Your idea was taken forward")
    assert header(client)[0] == 1
    assert header(client)[3] == []
    with django_capture_on_commit_callbacks(execute=True):
        notifications.mark_all_read(user.pk)
    assert header(client)[0] == 0
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_becoming_and_ceasing_to_be_a_moderator_reach_the_next_page(mission, django_capture_on_commit_callbacks):
    user = UserFactory()
    client = signed_in(user)
    assert header(client)[1] is False
    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory(mission=mission, user=user, role=MissionMembership.ROLE_MODERATOR)
    assert header(client)[1] is True
    with django_capture_on_commit_callbacks(execute=True):
        MissionMembership.objects.filter(user=user).delete()
    assert header(client)[1] is False


@pytest.mark.django_db
def test_admin_access_through_a_group_or_the_superuser_flag_reaches_the_next_page(
        site, django_capture_on_commit_callbacks):
    user = UserFactory()
    client = signed_in(user)
    assert header(client)[2] is False
    editors = Group.objects.create(name="Header test editors")
    with django_capture_on_commit_callbacks(execute=True):
        editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    assert header(client)[2] is False  # a group they are not in
    with django_capture_on_commit_callbacks(execute=True):
        user.groups.add(editors)
    assert header(client)[2] is True
    with django_capture_on_commit_callbacks(execute=True):
        user.groups.remove(editors)
    assert header(client)[2] is False
    with django_capture_on_commit_callbacks(execute=True):
        user.is_superuser = True
        user.save()
    assert header(client)[2] is True
