"""The results page in real Chromium: with JavaScript off the opinion map
(SVG) and its tables are all there; axe finds nothing; and with JavaScript
on, a recomputed map replaces the old one without a reload."""

import pytest
from playwright.sync_api import expect

from consult.models import ChallengeCallPage
from opinions import services

from ..factories import CallFactory, IdeaFactory, MissionFactory, UserFactory
from ..opinions.conftest import add_votes, planted_rows
from ..opinions.test_results_page import results_url
from .test_accessibility import AXE, RUN_AXE

pytestmark = pytest.mark.browser


def planted(n_per_camp=8):
    call = CallFactory(parent=MissionFactory(), voting_mode=ChallengeCallPage.VOTING_AGREE, title="Cleaner rivers")
    ideas = [IdeaFactory(call=call, title=f"Statement {j}") for j in range(10)]
    camp_a = [UserFactory() for _ in range(n_per_camp)]
    camp_b = [UserFactory() for _ in range(n_per_camp)]
    add_votes(planted_rows(camp_a, camp_b, ideas))
    services.recompute(call.pk)
    return call, ideas, camp_a


def signed_in(browser, base_url, user, **options):
    from django.conf import settings
    from django.test import Client

    context = browser.new_context(**options)
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": base_url}])
    return context


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_map_and_tables_are_there_and_axe_finds_nothing(asgi_server, browser, site):
    call, ideas, camp_a = planted()
    url = asgi_server.url + results_url(call)

    context = signed_in(browser, asgi_server.url, camp_a[0], java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10000)
    assert page.goto(url).status == 200
    svg = page.locator("svg[data-opinion-map]")
    expect(svg).to_be_visible()
    assert svg.get_attribute("role") == "img"
    assert page.locator("svg[data-opinion-map] polygon").count() == 2
    expect(page.locator("[data-opinion-you]")).to_have_count(1)
    expect(page.locator("[data-group-row]")).to_have_count(2)
    expect(page.locator("[data-bars-idea]")).to_have_count(len(ideas))
    expect(page.get_by_role("heading", name="Agreed across groups")).to_be_visible()
    box = svg.bounding_box()
    assert box["width"] > 300 and box["height"] > 150
    context.close()

    # axe, with JavaScript on (the page as most people get it), signed in and not.
    source = AXE.read_text()
    for context in (signed_in(browser, asgi_server.url, camp_a[0]), browser.new_context()):
        page = context.new_page()
        page.set_default_timeout(20000)
        assert page.goto(url).status == 200
        page.evaluate(source + ";0")
        violations = page.evaluate(RUN_AXE)
        assert violations == [], violations
        context.close()


@pytest.mark.django_db(transaction=True)
def test_a_recomputed_map_is_swapped_in_without_a_reload(asgi_server, browser, site):
    call, ideas, _ = planted()
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10000)
    ws = []
    page.on("websocket", lambda socket: ws.append(socket))
    page.goto(asgi_server.url + results_url(call))
    expect(page.locator("[data-opinion-votes]")).to_have_text("160")
    assert ws, "the page opened no live socket"
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    add_votes(planted_rows([UserFactory() for _ in range(5)], [UserFactory() for _ in range(5)], ideas))
    services.recompute(call.pk)
    expect(page.locator("[data-opinion-votes]")).to_have_text("260", timeout=5000)
    expect(page.locator("[data-group-row] [data-group-size]").first).to_have_text("13")
    expect(page.locator("[data-opinion-status]")).to_contain_text("updated")
    assert navigations == []
    context.close()
