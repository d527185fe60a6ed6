"""The team's response, a status change and an author's edit reach open pages
live, as votes and comments do: a reader of the idea page and a reader of the
call page see them without reloading."""

import pytest
from playwright.sync_api import expect

from ideas.services import comments, submissions

from ..factories import CallFactory, MembershipFactory, MissionFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_response_status_and_edits_appear_live(asgi_server, browser, site):
    from django.conf import settings
    from django.test import Client

    mission = MissionFactory()
    call = CallFactory(parent=mission)
    author = UserFactory(first_name="Ada")
    team = MembershipFactory(mission=mission, role="team").user
    idea = submissions.submit_idea(author, call, title="Street-level batteries", summary="Batteries on every street",
                                body="The first version of the idea.")
    comment = comments.add_comment(author, idea, "My first comment")

    context = browser.new_context()
    client = Client()
    client.force_login(UserFactory(first_name="Reader"))
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": asgi_server.url}])
    idea_page = context.new_page()
    call_page = context.new_page()
    for page, url in ((idea_page, idea.get_absolute_url()), (call_page, call.url)):
        page.set_default_timeout(10000)
        page.goto(asgi_server.url + url)
        page.locator("[data-live-indicator]").get_by_text("Live").wait_for()
    navigations = []
    for page in (idea_page, call_page):
        page.on("framenavigated", lambda frame: navigations.append(frame.url))

    submissions.edit_idea(author, idea, title="Street-level batteries, revised", summary="Batteries on most streets",
                       body="The **second** version of the idea.")
    expect(idea_page.locator("[data-idea-title]")).to_have_text("Street-level batteries, revised", timeout=3000)
    expect(idea_page.locator("[data-idea-body] strong")).to_have_text("second")
    card = call_page.locator(f"[data-idea-card='{idea.pk}']")
    expect(card.locator("[data-card-title]")).to_have_text("Street-level batteries, revised", timeout=3000)
    expect(card.locator("[data-card-summary]")).to_have_text("Batteries on most streets")

    submissions.set_idea_status(team, idea, "selected")
    expect(idea_page.locator("[data-idea-status]")).to_have_text("Selected", timeout=3000)
    expect(card.locator("[data-card-status]")).to_have_text("Selected", timeout=3000)

    submissions.respond_to_idea(team, idea, "We will *pilot* this in two towns.")
    response = idea_page.locator("#response")
    expect(response.get_by_role("heading")).to_have_text("The mission team's response", timeout=3000)
    expect(response.locator("em")).to_have_text("pilot")

    comments.edit_comment(author, comment, "My first comment, *corrected*")
    expect(idea_page.locator(f"[data-comment-body='{comment.pk}'] em")).to_have_text("corrected", timeout=3000)

    assert navigations == []  # nobody reloaded
    context.close()
