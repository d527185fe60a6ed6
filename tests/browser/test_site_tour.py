"""Every page of the site, on the demo's data, as the person who would see it
(tests/browser/site_tour.py), in real Chromium, visited once each: no page
does anything the Content-Security-Policy refuses, axe-core finds nothing,
the pages people read on a phone do not scroll sideways at 390 px, and
those with wide tables not even at 320 px (where axe runs again). The admin
screens work within their own policy, and axe finds nothing on the
dashboard."""

import pytest

from .checks import inspect, report
from .site_tour import admin_tour, load_demo_site, tour

pytestmark = pytest.mark.browser

# Reading pages, checked at a phone's width.
PHONE = {"closed agree/disagree call (results)", "open call", "idea", "idea, signed in", "agree/disagree idea",
         "idea with the team's response", "mission", "home", "search"}
# Pages with wide tables: at 320 px a table wider than the screen scrolls
# inside its own labelled, focusable region (`.app-table-scroll`), so the
# page itself never scrolls sideways.
TABLES = {"results and opinion map", "who takes part in a mission", "who takes part in a call", "a pilot",
          "you said, we did (mission)", "you said, we did (call)", "moderation log", "a challenge prize"}


@pytest.mark.django_db(transaction=True)
def test_every_page_keeps_the_policy_passes_axe_and_reflows(live_server, browser, tmp_path):
    load_demo_site(tmp_path)
    stops = tour()
    names = {stop.name for stop in stops}
    assert PHONE <= names and TABLES <= names  # a renamed stop would silently drop its check
    problems = inspect(browser, live_server.url, stops, phone=PHONE, tables=TABLES)
    assert not problems, report(problems)


@pytest.mark.django_db(transaction=True)
def test_the_admin_works_within_its_own_policy(live_server, browser, tmp_path):
    load_demo_site(tmp_path)
    problems = inspect(browser, live_server.url, admin_tour(), axe_on={"admin dashboard"})
    assert not problems, report(problems)


def test_a_failing_page_is_reported_by_what_failed():
    """The report names the page, the check and the detail (not just 'False')."""
    text = report({"home (/)": {"csp": ["script-src blocked inline"], "axe": [
        {"rule": "region", "impact": "moderate", "help": "All content in landmarks", "nodes": ["div.x :: Fix"]}],
        "scrolls sideways at 390 px": (512, ["TABLE.wide"])}})
    assert text.splitlines() == [
        "home (/)", "  csp: ['script-src blocked inline']",
        "  axe: region (moderate): All content in landmarks", "    div.x :: Fix",
        "  scrolls sideways at 390 px: (512, ['TABLE.wide'])"]
