"""What the browser tests check on a page in real Chromium: the
Content-Security-Policy (no refused script, style, image, connection or
frame), axe-core's rules, and whether the page scrolls sideways at a phone's
width. One visit of a page runs all three (tests/browser/test_site_tour.py),
so the tour of every page is walked once, not once per check.

CSP violations are collected from the first byte of each page (an init
script, which the policy does not govern) and read before axe runs; axe is
evaluated through the DevTools protocol, so the page's own CSP is untouched.
axe runs with its default rule set (WCAG 2.0-2.2 A and AA plus its best
practices: landmarks, heading order, empty labelled regions, contrast)."""

from pathlib import Path

import pytest

from .site_tour import browser_context

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary.split("\\n").slice(1, 2).join("")),
  }));
}"""

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""

PAST_THE_EDGE = """(width) => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width)
    .slice(-3).map((el) => el.tagName + '.' + el.className)"""


def axe_source():
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: npm ci")
    return AXE.read_text()


def run_axe(page, source):
    page.evaluate(source + ";0")
    return page.evaluate(RUN_AXE)


def too_wide(page, width):
    """(page width, the last elements past the edge) if the page scrolls
    sideways in a viewport `width` px wide, else None."""
    page.set_viewport_size({"width": width, "height": 844})
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    return (scrolled, page.evaluate(PAST_THE_EDGE, width)) if scrolled > width else None


class Contexts:
    """One signed-in browser context per kind of person, closed at the end."""

    def __init__(self, browser, base_url, init_script=None, **options):
        self.browser, self.base_url, self.init_script, self.options = browser, base_url, init_script, options
        self.contexts = {}

    def page(self, who):
        if who not in self.contexts:
            context = browser_context(self.browser, self.base_url, who, **self.options)
            if self.init_script:
                context.add_init_script(self.init_script)
            self.contexts[who] = context
        return self.contexts[who].new_page()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.close()


def open_page(contexts, stop, timeout=20000):
    page = contexts.page(stop.who)
    page.set_default_timeout(timeout)
    console = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    response = page.goto(contexts.base_url + stop.path)
    assert response.status == 200, f"{stop.name}: {stop.path} answered {response.status}"
    assert response.headers.get("content-security-policy"), f"{stop.name}: no CSP header"
    page.wait_for_load_state("networkidle")
    if not stop.path.startswith("/admin/"):
        # The site's own module ran, so no check passes on a page whose scripts were all refused.
        # (A selector, not wait_for_function: that evaluates a string, which the policy refuses.)
        page.locator("body.govuk-frontend-supported").wait_for(state="attached")
    return page, console


def inspect(browser, base_url, stops, axe_on=None, phone=(), tables=()):
    """{"stop (path)": {what failed: details}} for each stop: its CSP
    violations; axe's (for the stops named in `axe_on`, all if None); for
    those in `phone`, sideways scrolling at 390 px; for those in `tables`,
    sideways scrolling and axe again at 320 px (WCAG 1.4.10)."""
    source = axe_source()
    problems = {}
    with Contexts(browser, base_url, init_script=COLLECT_VIOLATIONS) as contexts:
        for stop in stops:
            page, console = open_page(contexts, stop)
            found = {}
            csp = page.evaluate("window.__cspViolations") + console
            if csp:
                found["csp"] = csp
            if axe_on is None or stop.name in axe_on:
                if violations := run_axe(page, source):
                    found["axe"] = violations
            if stop.name in phone and (wide := too_wide(page, 390)):
                found["scrolls sideways at 390 px"] = wide
            if stop.name in tables:
                if wide := too_wide(page, 320):
                    found["scrolls sideways at 320 px"] = wide
                if violations := run_axe(page, source):
                    found["axe at 320 px"] = violations
            if found:
                problems[f"{stop.name} ({stop.path})"] = found
            page.close()
    return problems


def axe_violations(browser, base_url, stops):
    """{"stop (path)": {"axe": violations}}: axe alone, on a few pages."""
    return inspect(browser, base_url, stops)


def report(problems):
    lines = []
    for page, found in problems.items():
        lines.append(page)
        for what, details in found.items():
            if what.startswith("axe"):
                for v in details:
                    lines.append(f"  {what}: {v['rule']} ({v['impact']}): {v['help']}")
                    lines.extend(f"    {node}" for node in v["nodes"][:5])
            else:
                lines.append(f"  {what}: {details}")
    return "\n".join(lines)
