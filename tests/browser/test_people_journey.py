"""Issue #16's whole journey in a real Chromium: sign up with a display
name, confirm the email from the test mailbox, join an organisation by
invitation, submit an idea on its behalf in an organisations-only call;
someone replies; the unread count rises live; one digest email arrives with
an unsubscribe link that works."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ..factories import CallFactory, MissionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "a-long-pass-phrase-9"


def _link(pattern, body):
    found = re.search(pattern, body)
    assert found, body
    return found.group(0)


@pytest.mark.django_db(transaction=True)
def test_sign_up_join_an_organisation_submit_and_hear_back(asgi_server, browser, site, settings):
    from ideas.models import Idea
    from ideas.services import comments
    from notifications import tasks as notification_tasks
    from notifications import services as notification_services
    from notifications.models import Delivery, Kind
    from people import services as people

    settings.SITE_URL = asgi_server.url
    call = CallFactory(parent=MissionFactory(title="Clean power"), title="Community energy", eligibility="organisations")
    admin = UserFactory(first_name="Olu", last_name="Admin")
    org = OrganisationFactory(name="Northmoor Heat Co-op", type="community", size="micro", region="wales", admin=admin)
    base = asgi_server.url
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10000)

    # The call says who may submit before anyone signs in.
    page.goto(base + call.url)
    expect(page.locator("[data-who-may-submit]")).to_contain_text("open to organisations")

    # Sign up with a display name; the confirmation link comes by email.
    page.goto(base + "/accounts/signup/")
    page.get_by_label("Display name").fill("Priya Shah")
    page.get_by_label("Email", exact=False).first.fill("priya@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    confirm = _link(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body)
    page.goto(confirm.replace(re.match(r"https?://[^/]+", confirm).group(0), base))
    if page.get_by_role("button", name=re.compile("Confirm", re.I)).count():
        page.get_by_role("button", name=re.compile("Confirm", re.I)).click()

    # An admin of the organisation invites her; she accepts from the email.
    people.invite(admin, org, "priya@example.org")
    invitation = _link(r"https?://[^\s]+/organisations/join/[^\s/]+/", mail.outbox[-1].body)
    page.goto(invitation)
    if page.get_by_role("button", name="Accept the invitation").count() == 0:  # not signed in after confirming
        page.goto(base + "/accounts/login/?next=" + invitation.replace(base, ""))
        page.get_by_label("Email", exact=False).first.fill("priya@example.org")
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.locator("h1")).to_have_text("Northmoor Heat Co-op")

    # She wants replies in a daily digest, not one email each.
    priya = org.memberships.get(is_admin=False).user
    notification_services.update_settings(priya.pk, {Kind.REPLY: Delivery.DAILY})

    # Submit on the organisation's behalf: the choice is required and hers.
    page.goto(base + call.url + "submit/")
    page.get_by_label("Title").fill("Heat from the old mine workings")
    page.get_by_label("Summary").fill("Warm water from flooded mines heats the village.")
    page.get_by_label("Describe your idea").fill("Pump the water through a heat exchanger.")
    # Her one organisation is chosen for her, and the form says so.
    expect(page.locator("[data-only-organisation]")).to_contain_text("Northmoor Heat Co-op")
    page.get_by_role("button", name=re.compile("Continue|Submit my idea anyway")).click()
    if page.get_by_role("button", name="Submit my idea anyway").count():
        page.get_by_role("button", name="Submit my idea anyway").click()
    idea = Idea.objects.get(title="Heat from the old mine workings")
    assert idea.on_behalf_of == org and idea.author.profile.display_name == "Priya Shah"
    expect(page.locator(".mc-meta").first).to_contain_text("Priya Shah")
    expect(page.get_by_role("link", name="Northmoor Heat Co-op")).to_be_visible()

    # Someone replies; the header's unread count rises without a reload.
    page.locator("[data-live-indicator]").get_by_text("Live").wait_for()
    badge = page.locator("[data-unread-count]")
    expect(badge).to_be_hidden()
    mail.outbox.clear()
    comments.add_comment(UserFactory(first_name="Ben"), idea, "Who owns the mine water rights?")
    expect(badge.locator("[data-unread-number]")).to_have_text("1", timeout=5000)
    assert mail.outbox == []  # a digest, not an email at once

    # One digest email, with an unsubscribe link that works.
    notification_tasks.send_digests("daily")
    digests = [m for m in mail.outbox if "priya@example.org" in m.to]
    assert len(digests) == 1
    assert "Who owns the mine water rights?" in digests[0].body
    assert digests[0].extra_headers.get("List-Unsubscribe")
    unsubscribe = _link(r"https?://[^\s]+/notifications/unsubscribe/[^\s/]+/", digests[0].body)
    page.goto(unsubscribe)
    page.get_by_role("button", name=re.compile("Unsubscribe|Turn off|Stop", re.I)).click()
    expect(page.locator("main")).to_contain_text(re.compile("unsubscribed|turned off|will not", re.I))
    context.close()
