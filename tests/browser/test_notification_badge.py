"""The header's unread count rises live: a person on any page of the site
sees it go from nothing to 1 when someone comments on their idea, and back
to nothing when they mark it read on another tab, without reloading."""

import pytest
from playwright.sync_api import expect

from ..factories import CallFactory, IdeaFactory, MissionFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_unread_count_rises_live_when_someone_comments(asgi_server, browser, site):
    from django.conf import settings
    from django.test import Client

    from ideas.services import comments, follows

    call = CallFactory(parent=MissionFactory())
    author, replier = UserFactory(first_name="Ada"), UserFactory(first_name="Ben")
    idea = IdeaFactory(call=call, author=author, title="Street-level batteries")
    follows.follow(author, idea=idea)

    context = browser.new_context()
    client = Client()
    client.force_login(author)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": asgi_server.url}])
    page = context.new_page()
    page.set_default_timeout(10000)
    page.goto(asgi_server.url + "/missions/")  # a page with no topic of its own: the badge subscribes
    page.locator("[data-live-indicator]").get_by_text("Live").wait_for()
    badge = page.locator("[data-unread-count]")
    expect(badge).to_be_hidden()
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    comments.add_comment(replier, idea, "Have you costed the batteries?")  # commits: autocommit
    expect(badge).to_be_visible(timeout=3000)
    expect(badge.locator("[data-unread-number]")).to_have_text("1")

    other_tab = context.new_page()
    other_tab.goto(asgi_server.url + "/notifications/")
    assert "Have you costed the batteries?" in other_tab.content()
    other_tab.get_by_role("button", name="Mark all as read").click()
    expect(badge).to_be_hidden(timeout=3000)  # the first tab hears the new count too
    assert navigations == []
    context.close()
