"""Issue #18's whole loop in a real Chromium: a participant submits an idea;
the mission team responds and takes it forward into a pilot from the idea
page; the pilot reports a result and is stopped with its lesson in the
Wagtail admin; the author finds each step in their notifications, and the
mission's "you said, we did" page counts it right."""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from ..factories import CallFactory, MembershipFactory, MissionFactory, PilotFactory, UserFactory

pytestmark = pytest.mark.browser


def _signed_in(browser, base, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.mark.django_db(transaction=True)
def test_an_idea_becomes_a_pilot_that_stops_with_a_lesson_and_its_author_hears_back(asgi_server, browser, site, settings):
    from consult.roles import sync_user
    from ideas.models import Idea, IdeaStatus
    from pilots.models import PilotPage

    settings.SITE_URL = asgi_server.url
    base = asgi_server.url
    mission = MissionFactory(title="Safer streets", slug="safer-streets")
    call = CallFactory(parent=mission, title="Ideas for safer journeys home")
    team = MembershipFactory(mission=mission, role="team", user=UserFactory(first_name="Tess", last_name="Team")).user
    sync_user(team, mission)  # the team's Wagtail group (the membership's on-commit hook in the app)
    pilot = PilotFactory(parent=mission, title="Lit routes in Bristol", status="running", measure_unit="%",
                         measure_name="People who feel safe walking home after dark")
    author = UserFactory(standing=True, first_name="Amira", last_name="Khan")

    # 1. The participant submits an idea.
    author_context, page = _signed_in(browser, base, author)
    page.goto(base + call.url + "submit/")
    page.get_by_label("Title").fill("Light the short cut by the canal")
    page.get_by_label("Summary").fill("Solar lights on the towpath so people can take the quick way home.")
    page.get_by_label("Describe your idea").fill("The towpath is the short way home but it is dark after 5pm.")
    page.get_by_role("button", name=re.compile("Continue|Submit my idea anyway")).click()
    if page.get_by_role("button", name="Submit my idea anyway").count():
        page.get_by_role("button", name="Submit my idea anyway").click()
    idea = Idea.objects.get(title="Light the short cut by the canal")

    # 2. The team responds and takes it forward from the idea page.
    team_context, team_page = _signed_in(browser, base, team)
    team_page.goto(base + idea.get_absolute_url())
    team_page.get_by_label("Official response").fill("Thank you: we will test this on one route first.")
    team_page.get_by_role("button", name="Publish response").click()
    expect(team_page.locator("#response")).to_contain_text("we will test this on one route first")
    team_page.get_by_label("Pilot").select_option(label="Lit routes in Bristol (running)")
    team_page.get_by_label("Why (shown to the author and followers)").fill("The canal route is in the pilot area.")
    team_page.get_by_role("button", name="Take forward").click()
    expect(team_page.locator("#what-became-of-it")).to_contain_text("Lit routes in Bristol")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.TAKEN_FORWARD

    # 3. The pilot reports a result and stops with its lesson, in the admin.
    team_page.goto(f"{base}/admin/pages/{pilot.pk}/edit/")
    team_page.get_by_role("button", name=re.compile("Add result", re.I)).first.click()
    team_page.locator("input[name='results-0-date']").fill((pilot.starts_on + timedelta(days=20)).isoformat())
    team_page.keyboard.press("Escape")
    team_page.locator("input[name='results-0-value']").fill("41")
    team_page.locator("textarea[name='results-0-commentary']").fill("No change from the baseline.")
    team_page.locator("select[name='status']").select_option("stopped")
    team_page.locator("textarea[name='lesson']").fill("Lights alone did not change how safe people felt; the route was still empty.")
    team_page.locator("select[name='decision']").select_option("stop")
    team_page.locator("textarea[name='decision_reason']").fill("No effect after three months; we will test walking groups instead.")
    with team_page.expect_navigation():
        _publish(team_page)
    pilot = PilotPage.objects.get(pk=pilot.pk)
    assert pilot.status == "stopped" and pilot.live and pilot.results.count() == 1, team_page.locator(
        ".error-message, .help-critical, .messages").all_inner_texts()

    # The pilot page shows the lesson, publicly.
    page.goto(base + pilot.url)
    expect(page.locator("main")).to_contain_text("Lights alone did not change how safe people felt")

    # 4. The author's notifications tell the story.
    page.goto(base + "/notifications/")
    main = page.locator("main")
    expect(main).to_contain_text("Taken forward into the pilot “Lit routes in Bristol”")
    expect(main).to_contain_text("New result from the pilot “Lit routes in Bristol”: 41%")
    expect(main).to_contain_text("The pilot “Lit routes in Bristol” has stopped: what we learned")

    # 5. "You said, we did" counts it: one received, responded, taken forward, piloted, none scaled.
    page.goto(f"{base}/missions/{mission.slug}/you-said-we-did/")
    counts = page.locator("[data-ledger-counts]")
    for key, value in (("received", "1"), ("responded", "1"), ("taken_forward", "1"), ("piloted", "1"), ("scaled", "0")):
        expect(counts.locator(f"[data-count='{key}']")).to_have_text(value)
    expect(page.locator("main")).to_contain_text("Light the short cut by the canal")
    expect(page.locator("main")).to_contain_text("Lit routes in Bristol")
    team_context.close()
    author_context.close()


def _publish(page):
    """Wagtail's footer: "Publish" is either the main action or in the save
    button's dropdown, depending on the person's rights."""
    button = page.locator("button[name='action-publish']").first
    if button.is_visible():
        button.click()
    else:  # in the dropdown, under the date picker's overlay: the button's own click, as a keyboard user's
        button.evaluate("b => b.click()")
