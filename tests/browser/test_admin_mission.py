"""A mission-team member creates a mission and a call in the Wagtail admin,
then sees both on the public site."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from django.utils import timezone

from consult.models import ChallengeCallPage, MissionIndexPage, MissionMembership, MissionPage

from ..factories import MembershipFactory, MissionFactory

pytestmark = pytest.mark.browser


def publish(page):
    """Press Wagtail's Publish action (kept mounted in the action menu's dropdown)."""
    page.locator('button[name="action-publish"]').evaluate("button => button.click()")


@pytest.mark.django_db(transaction=True)
def test_team_member_creates_mission_and_call(live_server, browser, login, site):
    existing = MissionFactory(title="Existing mission")
    member = MembershipFactory(mission=existing, role=MissionMembership.ROLE_TEAM).user
    from consult.roles import sync_user

    sync_user(member, existing)
    context = browser.new_context()
    context.set_default_timeout(15000)
    login(context, member)
    page = context.new_page()
    index = MissionIndexPage.objects.get()

    page.goto(f"{live_server.url}/admin/pages/add/consult/missionpage/{index.pk}/")
    page.locator("#id_title").fill("Healthy high streets")
    page.keyboard.press("Tab")  # Wagtail fills the slug from the title when it loses focus
    # expect(), not wait_for_function: that evaluates a string, which the CSP refuses.
    expect(page.locator("#id_slug")).to_have_value("healthy-high-streets", timeout=15000)
    page.locator("#id_goal").fill("Every town centre busy and safe by 2035")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text(re.compile(r"Healthy high streets.{1,3} created")).wait_for()
    mission = MissionPage.objects.get(title="Healthy high streets")
    # Creating the mission made them its team, so they may now publish it.
    assert MissionMembership.objects.filter(user=member, mission=mission, role="team").exists()
    page.goto(f"{live_server.url}/admin/pages/{mission.pk}/edit/")
    publish(page)
    page.get_by_text(re.compile(r"Healthy high streets.{1,3} (has been )?published")).wait_for()
    mission.refresh_from_db()
    assert mission.live

    now = timezone.localtime()
    page.goto(f"{live_server.url}/admin/pages/add/consult/challengecallpage/{mission.pk}/")
    page.locator("#id_title").fill("Ideas for empty shops")
    page.keyboard.press("Tab")
    expect(page.locator("#id_slug")).to_have_value("ideas-for-empty-shops", timeout=15000)
    editor = page.locator("[data-contentpath='brief'] [contenteditable='true']").first
    editor.click()
    editor.press_sequentially("Tell us how to fill empty shops.", delay=10)
    expect(page.locator("input[name=brief]")).to_have_value(re.compile("empty shops"), timeout=15000)
    fmt = "%Y-%m-%d %H:%M"
    page.locator("#id_submission_opens").fill((now - timedelta(days=1)).strftime(fmt))
    page.locator("#id_submission_closes").fill((now + timedelta(days=30)).strftime(fmt))
    page.locator("#id_review_closes").fill((now + timedelta(days=60)).strftime(fmt))
    page.locator("#id_shortlist_closes").fill((now + timedelta(days=90)).strftime(fmt))
    page.keyboard.press("Escape")
    publish(page)
    page.get_by_text(re.compile(r"Ideas for empty shops.{1,3} created and published")).wait_for()
    call = ChallengeCallPage.objects.get(title="Ideas for empty shops")
    assert call.live

    page.goto(live_server.url + "/missions/")
    page.get_by_role("link", name="Healthy high streets").click()
    page.wait_for_url(re.compile(r"/missions/healthy-high-streets/$"))
    page.get_by_role("link", name="Ideas for empty shops").click()
    page.wait_for_url(re.compile(r"/missions/healthy-high-streets/calls/ideas-for-empty-shops/$"))
    assert page.get_by_text("Tell us how to fill empty shops.").is_visible()
    assert page.get_by_text("Open for ideas").is_visible()

    # The team member cannot edit another team's mission.
    other = MissionFactory(title="Somebody else's mission")
    response = page.goto(f"{live_server.url}/admin/pages/{other.pk}/edit/")
    assert "/admin/pages/%d/edit/" % other.pk not in page.url or response.status in (302, 403)
    context.close()

