"""axe-core finds nothing on any page of the site, and the pages people read
on a phone do not scroll sideways at 390 px (those with wide tables, not even
at 320 px).

axe runs with its default rule set (WCAG 2.0-2.2 A and AA plus its best
practices: landmarks, heading order, empty labelled regions, contrast) on the
demo's data, as the person who would see each page, in real Chromium. It is
evaluated through the DevTools protocol, so the page's own CSP is untouched."""

from pathlib import Path

import pytest

from .site_tour import admin_tour, browser_context, load_demo_site, tour

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary.split("\\n").slice(1, 2).join("")),
  }));
}"""


def axe_violations(browser, base_url, stops, **context_options):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: npm ci")
    source = AXE.read_text()
    problems = {}
    contexts = {}
    try:
        for stop in stops:
            if stop.who not in contexts:
                contexts[stop.who] = browser_context(browser, base_url, stop.who, **context_options)
            page = contexts[stop.who].new_page()
            page.set_default_timeout(20000)
            response = page.goto(base_url + stop.path)
            assert response.status == 200, f"{stop.name}: {stop.path} answered {response.status}"
            page.wait_for_load_state("networkidle")
            page.evaluate(source + ";0")
            found = page.evaluate(RUN_AXE)
            if found:
                problems[f"{stop.name} ({stop.path})"] = found
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    return problems


def report(problems):
    lines = []
    for page, violations in problems.items():
        lines.append(page)
        for v in violations:
            lines.append(f"  {v['rule']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {node}" for node in v["nodes"][:5])
    return "\n".join(lines)


@pytest.mark.django_db(transaction=True)
def test_axe_finds_nothing_on_any_page(live_server, browser, tmp_path):
    load_demo_site(tmp_path)
    problems = axe_violations(browser, live_server.url, tour())
    assert not problems, report(problems)


@pytest.mark.django_db(transaction=True)
def test_axe_finds_nothing_on_the_admin_dashboard(live_server, browser, tmp_path):
    load_demo_site(tmp_path)
    problems = axe_violations(browser, live_server.url, admin_tour()[:1])
    assert not problems, report(problems)


def too_wide(browser, base_url, stops, width):
    """{stop name: (page width, the last elements past the edge)} for each
    page that scrolls sideways in a viewport `width` px wide."""
    widths = {}
    contexts = {}
    try:
        for stop in stops:
            if stop.who not in contexts:
                contexts[stop.who] = browser_context(browser, base_url, stop.who, viewport={"width": width, "height": 844})
            page = contexts[stop.who].new_page()
            page.goto(base_url + stop.path)
            page.wait_for_load_state("networkidle")
            scrolled = page.evaluate("document.documentElement.scrollWidth")
            if scrolled > width:
                widest = page.evaluate(
                    """(width) => [...document.querySelectorAll('body *')]
                        .filter((el) => el.getBoundingClientRect().right > width)
                        .slice(-3).map((el) => el.tagName + '.' + el.className)""",
                    width,
                )
                widths[stop.name] = (scrolled, widest)
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    return widths


@pytest.mark.django_db(transaction=True)
def test_reading_pages_do_not_scroll_sideways_on_a_phone(live_server, browser, tmp_path):
    load_demo_site(tmp_path)
    readers = {"closed agree/disagree call (results)", "open call", "idea", "idea, signed in", "agree/disagree idea",
               "idea with the team's response", "mission", "home", "search"}
    stops = [stop for stop in tour() if stop.name in readers]
    assert len(stops) == len(readers)
    assert too_wide(browser, live_server.url, stops, 390) == {}


# Pages with wide tables (WCAG 1.4.10): at 320 px a table wider than the
# screen scrolls inside its own labelled, focusable region
# (`.app-table-scroll`), so the page itself never scrolls sideways.
TABLE_PAGES = {"results and opinion map", "who takes part in a mission", "who takes part in a call", "a pilot",
               "you said, we did (mission)", "you said, we did (call)", "moderation log"}


@pytest.mark.django_db(transaction=True)
def test_pages_with_tables_reflow_at_320_px(live_server, browser, tmp_path):
    load_demo_site(tmp_path)
    stops = [stop for stop in tour() if stop.name in TABLE_PAGES]
    assert len(stops) == len(TABLE_PAGES)
    assert too_wide(browser, live_server.url, stops, 320) == {}
    problems = axe_violations(browser, live_server.url, stops, viewport={"width": 320, "height": 844})
    assert not problems, report(problems)
