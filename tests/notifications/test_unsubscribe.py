"""The one-click unsubscribe link: signed, for the kinds the email was about,
working without signing in; the List-Unsubscribe headers (RFC 8058)."""

import pytest
from django.core import mail
from django.test import Client

from notifications import selectors, services, tokens
from notifications.models import Delivery, Kind


def path_of(url, settings):
    assert url.startswith(settings.SITE_URL)
    return url[len(settings.SITE_URL):]


@pytest.fixture
def emailed(user, huey_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([user.pk], Kind.REPLY, title="New reply to your comment", link="/ideas/1/")
    [email] = mail.outbox
    return email


@pytest.mark.django_db
def test_the_link_in_the_email_unsubscribes_from_that_kind_without_signing_in(user, emailed, settings):
    line = next(line for line in emailed.body.splitlines() if line.startswith("Unsubscribe from these emails: "))
    path = path_of(line.split(": ", 1)[1], settings)
    client = Client(enforce_csrf_checks=True)  # signed out, no CSRF cookie: as from a mail client

    page = client.get(path)
    assert page.status_code == 200 and "Stop emails about replies to me?" in page.content.decode()
    assert selectors.deliveries_of(user.pk)[Kind.REPLY] == Delivery.IMMEDIATE  # a GET changes nothing

    done = client.post(path)
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    deliveries = selectors.deliveries_of(user.pk)
    assert deliveries[Kind.REPLY] == Delivery.OFF
    assert deliveries[Kind.STATUS] == Delivery.IMMEDIATE  # only the kind of that email


@pytest.mark.django_db
def test_the_list_unsubscribe_header_takes_a_one_click_post(user, emailed, settings):
    url = emailed.extra_headers["List-Unsubscribe"].strip("<>")
    assert emailed.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    response = Client(enforce_csrf_checks=True).post(path_of(url, settings), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert selectors.deliveries_of(user.pk)[Kind.REPLY] == Delivery.OFF


@pytest.mark.django_db
def test_a_tampered_or_foreign_token_is_refused(user, other_user, client):
    token = tokens.make(user.pk, [Kind.REPLY])
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (forged, "nonsense", tokens.make(other_user.pk, ["gossip"])):
        response = client.post(f"/notifications/unsubscribe/{bad}/")
        assert response.status_code == 400 and "This unsubscribe link is not valid." in response.content.decode()
    assert selectors.deliveries_of(user.pk)[Kind.REPLY] == Delivery.IMMEDIATE
