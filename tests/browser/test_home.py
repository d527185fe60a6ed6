import pytest

from ..factories import MissionFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_home_page_renders_with_the_stylesheet_applied(live_server, page, site):
    MissionFactory(title="Make Britain a clean energy superpower")
    page.goto(live_server.url + "/")
    assert page.get_by_role("link", name="Make Britain a clean energy superpower").is_visible()
    styles = page.evaluate(
        """() => {
            const h1 = getComputedStyle(document.querySelector('h1'));
            const nav = getComputedStyle(document.querySelector('.govuk-service-navigation'));
            return {font: h1.fontFamily, size: parseFloat(h1.fontSize), weight: h1.fontWeight, border: nav.borderBottomWidth,
                    sheets: document.styleSheets.length};
        }"""
    )
    assert styles["sheets"] >= 1
    assert "system-ui" in styles["font"]  # our font stack, not the browser default
    assert styles["size"] >= 32 and styles["weight"] == "700"  # govuk-heading-xl
    assert styles["border"] == "5px"
    # GOV.UK Frontend's JavaScript initialised (the module loaded from our static files)
    # A selector, not wait_for_function: that evaluates a string, which the CSP refuses.
    page.locator("body.govuk-frontend-supported").wait_for(state="attached")
