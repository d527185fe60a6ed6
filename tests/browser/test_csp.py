"""The Content-Security-Policy holds in a real browser: no page of the site,
and no admin screen, does anything the policy refuses.

Chromium fires `securitypolicyviolation` for every refused script, style,
image, connection or frame, and logs it on the console; both are collected
from the first byte of each page (an init script, which the policy does not
govern) until the page and its scripts have settled."""

import pytest

from .site_tour import admin_tour, browser_context, load_demo_site, tour

pytestmark = pytest.mark.browser

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""


def visit_and_collect(browser, base_url, stops):
    problems = {}
    contexts = {}
    try:
        for stop in stops:
            if stop.who not in contexts:
                contexts[stop.who] = browser_context(browser, base_url, stop.who)
                contexts[stop.who].add_init_script(COLLECT_VIOLATIONS)
            page = contexts[stop.who].new_page()
            page.set_default_timeout(15000)
            console = []
            page.on("console", lambda msg, console=console: console.append(msg.text) if "Content Security Policy" in msg.text else None)
            response = page.goto(base_url + stop.path)
            assert response.status == 200, f"{stop.name}: {stop.path} answered {response.status}"
            assert response.headers.get("content-security-policy"), f"{stop.name}: no CSP header"
            page.wait_for_load_state("networkidle")
            # The site's own module ran, so the check is not passing on a page whose scripts were all refused.
            if not stop.path.startswith("/admin/"):
                # (A selector, not wait_for_function: that evaluates a string, which the policy refuses.)
                page.locator("body.govuk-frontend-supported").wait_for(state="attached")
            found = page.evaluate("window.__cspViolations") + console
            if found:
                problems[f"{stop.name} ({stop.path})"] = found
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    return problems


@pytest.mark.django_db(transaction=True)
def test_no_page_of_the_site_violates_the_content_security_policy(live_server, browser, tmp_path):
    load_demo_site(tmp_path)
    assert visit_and_collect(browser, live_server.url, tour()) == {}


@pytest.mark.django_db(transaction=True)
def test_the_admin_works_within_its_own_policy(live_server, browser, tmp_path):
    load_demo_site(tmp_path)
    assert visit_and_collect(browser, live_server.url, admin_tour()) == {}
