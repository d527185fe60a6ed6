"""The search page in real Chromium: with JavaScript off, someone types a
query, submits it, chooses a filter with the keyboard, applies it, removes
it and follows "Next"; and axe finds nothing on a results page with a
filter chosen, nor on one with a bad parameter."""

import re

import pytest
from playwright.sync_api import expect

from ideas import search_views

from ..factories import CallFactory, CommentFactory, IdeaFactory, MissionFactory
from .site_tour import Stop
from .checks import axe_violations, report

pytestmark = pytest.mark.browser


@pytest.fixture
def zebras(site, settings):
    """Five ideas and a comment about zebras in two missions. With
    transaction=True each write commits, and the index follows it."""
    settings.ELASTICSEARCH_URL = ""
    streets = MissionFactory(title="Safer streets")
    homes = MissionFactory(title="Warm homes")
    crossings = CallFactory(parent=streets, title="Crossings")
    lofts = CallFactory(parent=homes, title="Lofts")
    ideas = [IdeaFactory(call=crossings if n < 3 else lofts, title=f"Zebra idea {n}", summary="Paint zebra stripes")
             for n in range(5)]
    CommentFactory(idea=ideas[0], body="Zebra stripes fade fast")
    return {"streets": streets, "homes": homes, "ideas": ideas}


def result_titles(page):
    return page.locator("ol.mc-search-results h2 a").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_search_filter_and_pages_work_with_javascript_off(live_server, browser, zebras, monkeypatch):
    monkeypatch.setattr(search_views, "PER_PAGE", 2)  # the live server runs in this process
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10000)
    page = context.new_page()

    page.goto(live_server.url + "/search/")
    box = page.get_by_label("Search ideas, comments, missions and calls")
    box.press_sequentially("zebra")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=zebra$"))
    expect(page.get_by_role("status").filter(has_text="results for")).to_have_text("6 results for “zebra”.")
    assert len(result_titles(page)) == 2

    # Choose "Ideas" in the Type filter with the keyboard, then Tab to the button and press it.
    kind = page.get_by_label("Type", exact=True)
    kind.focus()
    kind.press("ArrowDown")  # the first option after "All": the largest count
    expect(kind).to_have_value("idea")
    assert kind.locator("option:checked").inner_text() == "Ideas (5)"
    apply = page.get_by_role("button", name="Apply filters")
    for _ in range(10):
        page.keyboard.press("Tab")
        if apply.evaluate("(button) => button === document.activeElement"):
            break
    expect(apply).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"type=idea"))
    expect(page.get_by_role("status").filter(has_text="results for")).to_have_text("5 results for “zebra”.")
    first_page = result_titles(page)
    assert all(title.startswith("Zebra idea") for title in first_page)
    expect(page.locator(".mc-chosen-filters")).to_contain_text("Type: Ideas")

    # "Next" keeps the query and the filter.
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "q=zebra" in page.url and "type=idea" in page.url
    second_page = result_titles(page)
    assert len(second_page) == 2 and not set(second_page) & set(first_page)
    expect(page.locator(".govuk-pagination")).to_contain_text("Page 2 of 3")
    expect(page.get_by_label("Type", exact=True)).to_have_value("idea")

    # "Remove" takes the filter off, back to the first page.
    page.get_by_role("link", name=re.compile(r"^Remove")).click()
    page.wait_for_url(lambda url: "type=" not in url and "page=" not in url)
    assert "q=zebra" in page.url
    expect(page.get_by_role("status").filter(has_text="results for")).to_have_text("6 results for “zebra”.")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_bad_parameter_shows_the_error_summary_with_javascript_off(live_server, browser, zebras):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=zebra&type=bogus&page=abc")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Type must be one of: idea, comment, mission, call, page.")
    expect(summary).to_contain_text("Page must be a whole number from 1.")
    expect(page.get_by_role("status").filter(has_text="results for")).to_have_text("6 results for “zebra”.")
    # The summary's link takes the keyboard to the control it names.
    summary.get_by_role("link", name="Type must be one of").click()
    assert page.url.endswith("#filter-type")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_axe_finds_nothing_on_search_results(live_server, browser, zebras):
    streets = zebras["streets"].pk
    stops = [
        Stop("search, filtered", f"/search/?q=zebra&type=idea&mission={streets}&sort=newest", "anonymous"),
        Stop("search, bad parameters", "/search/?q=zebra&type=bogus&sort=x", "anonymous"),
        Stop("search, nothing to look for", "/search/?q=-zebra", "anonymous"),
        Stop("search, no results", "/search/?q=quagga", "anonymous"),
    ]
    problems = axe_violations(browser, live_server.url, stops)
    assert not problems, report(problems)
