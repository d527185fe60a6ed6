"""Tables that reflow at 320 px (WCAG 1.4.10): a table of three or more
columns scrolls inside its own region, so the page never scrolls sideways.
The pages' tests call this; tests/browser/test_site_tour.py measures the
pages themselves at 320 px."""

from bs4 import BeautifulSoup


def assert_wide_tables_scroll(html):
    """Every GOV.UK table with three or more columns sits directly in a
    `<div class="app-table-scroll" role="region" tabindex="0">` labelled
    (`aria-labelledby`) by an element of the page with text. Returns how
    many tables were checked (at least one)."""
    soup = BeautifulSoup(html, "html.parser")
    checked = 0
    for table in soup.select("table.govuk-table"):
        head = table.find("thead")
        if head is None or len(head.find_all("th")) < 3:
            continue
        region = table.parent
        where = " ".join(table.find("tr").get_text(" ").split())
        assert "app-table-scroll" in (region.get("class") or []), f"table ({where}) is not in a scroll region"
        assert region.get("role") == "region" and region.get("tabindex") == "0", where
        labels = soup.find_all(id=region.get("aria-labelledby"))
        assert len(labels) == 1 and labels[0].get_text(strip=True), f"table ({where}): no one label"
        checked += 1
    assert checked, "no wide table on the page"
    return checked
