"""Two people on the same idea page: A votes and comments, B sees the new
tally and the comment without reloading, within 2 seconds."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import CallFactory, IdeaFactory, MissionFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_vote_and_comment_appear_live_on_another_browser(asgi_server, browser, site):
    from django.conf import settings
    from django.test import Client

    call = CallFactory(parent=MissionFactory())
    idea = IdeaFactory(call=call, title="Street-level batteries")
    alice, bob = UserFactory(first_name="Alice"), UserFactory(first_name="Bob")

    def signed_in(user):
        context = browser.new_context()
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": asgi_server.url}])
        page = context.new_page()
        page.set_default_timeout(10000)
        return context, page

    context_a, page_a = signed_in(alice)
    context_b, page_b = signed_in(bob)
    url = asgi_server.url + idea.get_absolute_url()
    page_b.goto(url)
    page_b.locator("[data-live-indicator]").get_by_text("Live").wait_for()
    page_a.goto(url)
    page_a.locator("[data-live-indicator]").get_by_text("Live").wait_for()
    navigations = []
    page_b.on("framenavigated", lambda frame: navigations.append(frame.url))

    page_a.get_by_role("button", name=re.compile(r"^Support")).click()
    # expect(), not wait_for_function: that evaluates a string, which the CSP refuses.
    expect(page_b.locator("[data-tally=support]").first).to_have_text("1", timeout=2000)

    page_a.get_by_label("Add a comment").fill("Seen from **another** browser")
    page_a.get_by_role("button", name="Post comment").click()
    page_b.locator("[data-comment-list]").get_by_text("Seen from another browser").wait_for(timeout=2000)
    assert page_b.locator("[data-comment-list] strong").filter(has_text="another").count() == 1
    assert navigations == []  # B never reloaded
    context_a.close()
    context_b.close()
