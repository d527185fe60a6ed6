"""Who takes part, in a real Chromium: the dashboard's tables and the gaps
in words, as a member of the public sees them, and the team's extra view."""

import pytest
from playwright.sync_api import expect

from ..factories import CallFactory, IdeaFactory, MembershipFactory, MissionFactory, OrganisationFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_shows_who_takes_part_and_who_is_missing(live_server, browser, login, site):
    mission = MissionFactory(title="Clean power")
    call = CallFactory(parent=mission, title="Community energy")
    london = OrganisationFactory(name="Big Energy plc", type="business", size="large", region="london")
    for _ in range(6):
        IdeaFactory(call=call, on_behalf_of=london, organisation=london.name)
    IdeaFactory(call=call)
    team = MembershipFactory(mission=mission, role="team").user

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10000)
    page.goto(live_server.url + call.url)
    page.get_by_role("link", name="Who takes part in this call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who takes part")
    gaps = page.locator("[data-gaps]")
    expect(gaps).to_contain_text("No ideas yet from organisations in North East")
    expect(gaps).to_contain_text("Yorkshire and the Humber")  # a region's own "and" survives the list
    expect(gaps).to_contain_text("No ideas yet from micro or small businesses.")
    sizes = page.get_by_role("table", name="Ideas from businesses, by size")
    # Six beside a hidden individual and the total would give the one back.
    expect(sizes.get_by_role("row", name="Large (250 or more employees)")).to_contain_text("withheld")
    expect(sizes.get_by_role("row", name="Micro (fewer than 10 employees)")).to_contain_text("None yet")
    who = page.get_by_role("table", name="Ideas by individuals and by organisations")
    expect(who.get_by_role("row", name="Individuals")).to_contain_text("fewer than 5")
    expect(page.locator("[data-team-view]")).to_have_count(0)

    login(context, team)
    page.goto(live_server.url + f"/missions/{mission.slug}/participation/")
    expect(page.locator("[data-team-view]")).to_contain_text("awaiting moderation")
    expect(page.get_by_role("heading", name="References to compare with")).to_be_visible()
    context.close()
