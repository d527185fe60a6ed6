"""A moderator works the queue with the keyboard alone, and sees it change live."""

import pytest

from consult.models import MissionMembership
from moderation import services as moderation
from ideas.models import Idea, Visibility

from ..factories import CallFactory, IdeaFactory, MembershipFactory, MissionFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_keyboard_bulk_decision_and_live_queue(asgi_server, browser, site):
    from django.conf import settings
    from django.test import Client

    mission = MissionFactory()
    call = CallFactory(parent=mission)
    moderator = MembershipFactory(mission=mission, role=MissionMembership.ROLE_MODERATOR).user
    held = IdeaFactory(call=call, title="Held for the keyboard", visibility=Visibility.HELD)
    quiet = IdeaFactory(call=call, title="Will be flagged live")

    context = browser.new_context()
    client = Client()
    client.force_login(moderator)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": asgi_server.url}])
    page = context.new_page()
    page.set_default_timeout(10000)
    page.goto(f"{asgi_server.url}/moderation/{mission.slug}/")
    page.locator("[data-live-indicator]").get_by_text("Live").wait_for()

    # Live: someone flags an idea; the queue says it has changed.
    banner = page.locator("[data-queue-changed]")
    assert banner.is_hidden()
    moderation.flag(UserFactory(), quiet, "spam")
    banner.wait_for(state="visible", timeout=3000)
    assert "New items have arrived" in banner.inner_text()

    # Keyboard only: focus the row's checkbox, tick it, choose Approve, press Apply.
    checkbox = page.get_by_label(f"Select idea {held.pk}")
    checkbox.focus()
    page.keyboard.press("Space")
    assert checkbox.is_checked()
    page.locator("#action").focus()
    page.keyboard.press("Home")  # "Choose a decision": there is no default
    page.keyboard.press("ArrowDown")  # "Approve"
    assert page.locator("#action").input_value() == "approve"
    page.locator("#reason_text").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Done for 1 item.").wait_for()
    assert Idea.objects.get(pk=held.pk).visibility == Visibility.PUBLISHED
    context.close()
