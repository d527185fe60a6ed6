"""The notification list (paginated, no N+1), mark read with CSRF and without
JavaScript, the settings page, and the header link with its unread badge."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications import selectors, services
from notifications.models import Delivery, Kind, Notification, NotificationSetting

from ..factories import UserFactory


def make(user, n, **fields):
    Notification.objects.bulk_create(
        [Notification(recipient=user, kind=Kind.REPLY, title=f"Note {i}", excerpt=f"Excerpt {i}", link=f"/ideas/{i}/",
                      **fields) for i in range(n)]
    )


def list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/notifications/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_list_runs_the_same_queries_whatever_the_number_of_notifications(user, client):
    client.force_login(user)
    make(user, 3)
    few = list_queries(client)
    make(user, 40)
    make(UserFactory(), 30)  # someone else's
    many = list_queries(client)
    assert few == many, f"{few} queries with 3 notifications, {many} with 43"
    assert many <= 8


@pytest.mark.django_db
def test_the_list_is_newest_first_paginated_and_only_mine(user, other_user, client):
    make(other_user, 2, )
    make(user, 25)
    client.force_login(user)
    html = client.get("/notifications/").content.decode()
    titles = re.findall(r">(Note \d+)<", html)
    assert len(titles) == 20 and titles[0] == "Note 24"
    assert "Page 1 of 2" in html
    second = client.get("/notifications/?page=2").content.decode()
    assert re.findall(r">(Note \d+)<", second) == ["Note 4", "Note 3", "Note 2", "Note 1", "Note 0"]
    assert client.get("/notifications/?page=x").status_code == 200


@pytest.mark.django_db
def test_the_list_needs_signing_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_mark_read_and_mark_all_read_are_posts_with_csrf(user, other_user):
    make(user, 3)
    mine = list(Notification.objects.filter(recipient=user))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(f"/notifications/{mine[0].pk}/read/").status_code == 403  # no CSRF token
    assert client.get(f"/notifications/{mine[0].pk}/read/").status_code == 405
    page = client.get("/notifications/?page=1")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(f"/notifications/{mine[0].pk}/read/", {"csrfmiddlewaretoken": token,
                                                                   "next": "/notifications/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    assert selectors.unread_count(user.pk) == 2
    response = client.post("/notifications/read-all/", {"csrfmiddlewaretoken": token, "next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"  # never sent off the site
    assert selectors.unread_count(user.pk) == 0

    make(other_user, 1)
    theirs = Notification.objects.get(recipient=other_user)
    client.post(f"/notifications/{theirs.pk}/read/", {"csrfmiddlewaretoken": token})
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_the_header_links_to_the_list_with_the_unread_count(user, client, site):
    client.force_login(user)
    html = client.get("/missions/").content.decode()
    badge = re.search(r'<span data-unread-count data-live-topic="user:(\d+)" data-live-since="[^"]+"( hidden)?><strong[^>]*>'
                      r'<span data-unread-number>(\d+)</span>', html)
    assert badge and badge.group(1) == str(user.pk) and badge.group(2) == " hidden" and badge.group(3) == "0"
    make(user, 2)
    make(user, 1, read_at="2026-01-01T00:00:00Z")
    html = client.get("/missions/").content.decode()
    assert re.search(r'data-live-topic="user:\d+" data-live-since="user:\d+=\d+"><strong[^>]*><span data-unread-number>2</span>', html)
    assert 'href="/notifications/"' in html
    assert "data-unread-count" not in Client().get("/missions/").content.decode()  # signed out: no badge


@pytest.mark.django_db
def test_the_settings_page_saves_each_kinds_delivery(user, client):
    client.force_login(user)
    html = client.get("/notifications/settings/").content.decode()
    for kind in Kind:
        assert (kind.label in html) == (kind != Kind.TEAM)
    assert 'name="followed" type="radio" value="daily" checked' in html
    data = {kind: Delivery.IMMEDIATE for kind in Kind.values if kind != Kind.TEAM}
    data[Kind.FOLLOWED] = Delivery.WEEKLY
    data[Kind.MODERATION] = Delivery.OFF
    response = client.post("/notifications/settings/", data)
    assert response.status_code == 302
    deliveries = selectors.deliveries_of(user.pk)
    assert deliveries[Kind.FOLLOWED] == Delivery.WEEKLY and deliveries[Kind.MODERATION] == Delivery.OFF

    bad = client.post("/notifications/settings/", {**data, Kind.REPLY: "hourly"})
    assert bad.status_code == 400 and "Choose how we tell you about “replies to me”." in bad.content.decode()
    assert selectors.deliveries_of(user.pk)[Kind.MODERATION] == Delivery.OFF  # nothing half-saved


@pytest.mark.django_db
def test_the_list_escapes_stored_text(user, client, huey_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([user.pk], Kind.REPLY, title="<script>alert(1)</script>", excerpt="<b>hi</b>")
    client.force_login(user)
    html = client.get("/notifications/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;hi" in html


@pytest.mark.django_db
def test_the_settings_offer_the_teams_alerts_only_to_people_with_a_mission_role(user, moderator, team_member, client):
    client.force_login(user)
    page = client.get("/notifications/settings/").content.decode()
    assert Kind.TEAM.label not in page and 'name="team"' not in page
    # A value sent anyway is not stored: the kind is not theirs to set.
    response = client.post("/notifications/settings/", {**{k: Delivery.DAILY for k in Kind.values}})
    assert response.status_code == 302
    assert not NotificationSetting.objects.filter(user=user, kind=Kind.TEAM).exists()
    for person in (moderator, team_member):
        client.force_login(person)
        assert Kind.TEAM.label in client.get("/notifications/settings/").content.decode()
