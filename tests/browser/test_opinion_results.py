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
from .checks import AXE, RUN_AXE

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


def points_on_map(page):
    return sum(int(n) for n in page.locator("[data-group-points]").evaluate_all("els => els.map(e => e.dataset.count)"))


@pytest.mark.django_db(transaction=True)
def test_a_vote_moves_the_map_after_the_debounce_without_a_reload(asgi_server, browser, site, settings):
    """The whole path, as on the embedded default: a person votes (the vote
    service), ideas.signals.votes_changed asks for a recomputation a window
    later (opinions/tasks.py, debounced), the worker runs it (here the test
    process plays the worker: it runs the scheduled task marked as a process
    that serves no sockets, so on the in-memory layer its opinion.updated
    event goes through the relay table, live/relay.py, and the server's hub
    sends it; with REDIS_URL it goes over Redis), and the open results page
    swaps in the new map."""
    import datetime

    from django.core.cache import cache
    from huey.contrib.djhuey import HUEY

    from cms.tasks import run_scheduled
    from ideas.models import Vote
    from ideas.services import votes
    from live import relay
    from opinions.tasks import debounce_key

    settings.OPINION_DEBOUNCE_SECONDS = 60
    HUEY.flush()
    call, ideas, _ = planted()
    cache.delete(debounce_key(call.pk))
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10000)
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket))
    page.goto(asgi_server.url + results_url(call))
    expect(page.locator("[data-opinion-votes]")).to_have_text("160")
    assert points_on_map(page) == 16
    assert sorted(page.locator("[data-group-row] [data-group-size]").all_text_contents()) == ["8", "8"]
    assert sockets, "the page opened no live socket"
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    # A new person agrees with camp A on every idea: ten votes, one run asked for.
    newcomer = UserFactory()
    for j, idea in enumerate(ideas):
        votes.cast_vote(newcomer, idea, Vote.AGREE if j < 4 or j >= 8 else Vote.DISAGREE)
    due = [t for t in HUEY.scheduled() if t.name == "recompute_opinion_map"]
    assert len(due) == 1, "ten votes, one debounced run"

    # Before the window ends nothing runs, and the page still shows the old map.
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    assert run_scheduled(HUEY, now=now + datetime.timedelta(seconds=30)) == 0
    page.wait_for_timeout(1500)
    expect(page.locator("[data-opinion-votes]")).to_have_text("160")

    # The window ends: the worker runs the recomputation.
    with relay.as_publisher():
        assert run_scheduled(HUEY, now=now + datetime.timedelta(seconds=61)) == 1
    expect(page.locator("[data-opinion-votes]")).to_have_text("170", timeout=10000)
    assert points_on_map(page) == 17
    assert sorted(page.locator("[data-group-row] [data-group-size]").all_text_contents()) == ["8", "9"]
    expect(page.locator("[data-opinion-status]")).to_contain_text("updated")
    assert navigations == []
    context.close()
    HUEY.flush()
