"""robots.txt and the sitemap (cms/sitemaps.py): public pages through the page
rule and listed ideas through the idea rule, paged, in a constant number of
queries. Restricted pages leaving the sitemap is checked with every other
listing in tests/consult/test_page_visibility.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms import sitemaps
from ideas.models import Visibility

from ..factories import CallFactory, IdeaFactory, MissionFactory


def _locs(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


@pytest.fixture
def calls(site):
    mission = MissionFactory(title="Harbour mission", slug="harbour")
    open_call = CallFactory(parent=mission, title="Open call", slug="open-call")
    closed = CallFactory(parent=mission, title="Password call", slug="password-call")
    PageViewRestriction.objects.create(page=closed, restriction_type="password", password="sesame")
    return mission, open_call, closed


@pytest.mark.django_db
def test_robots_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines and "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.post("/robots.txt").status_code == 405


@pytest.mark.django_db
def test_the_sitemap_lists_public_pages_and_listed_ideas_only(client, calls):
    mission, open_call, closed = calls
    shown = IdeaFactory(call=open_call, title="Shown idea")
    hidden = IdeaFactory(call=open_call, visibility=Visibility.HIDDEN)
    pending = IdeaFactory(call=open_call, visibility=Visibility.PENDING)
    behind_password = IdeaFactory(call=closed)

    index = _locs(client, "/sitemap.xml")
    assert index == ["http://testserver/sitemap-pages.xml", "http://testserver/sitemap-ideas.xml"]
    pages = _locs(client, "/sitemap-pages.xml")
    assert any(p.endswith(mission.url) for p in pages)
    assert any(p.endswith("/open-call/") for p in pages)
    assert not any("password-call" in p for p in pages)
    ideas = _locs(client, "/sitemap-ideas.xml")
    assert ideas == [f"http://testserver/ideas/{shown.pk}/"]
    assert all(f"/ideas/{i.pk}/" not in " ".join(ideas) for i in (hidden, pending, behind_password))


@pytest.mark.django_db
def test_sections_are_paged_and_bad_addresses_are_404(client, calls, monkeypatch):
    _mission, open_call, _closed = calls
    ideas = IdeaFactory.create_batch(5, call=open_call)
    monkeypatch.setattr(sitemaps.IdeaSitemap, "limit", 2)
    index = _locs(client, "/sitemap.xml")
    assert [u for u in index if "ideas" in u] == [
        "http://testserver/sitemap-ideas.xml", "http://testserver/sitemap-ideas.xml?p=2",
        "http://testserver/sitemap-ideas.xml?p=3"]
    third = _locs(client, "/sitemap-ideas.xml?p=3")
    assert third == [f"http://testserver/ideas/{ideas[4].pk}/"]
    for bad in ("/sitemap-nothing.xml", "/sitemap-ideas.xml?p=9", "/sitemap-ideas.xml?p=x", "/sitemap-ideas.xml?p=-1"):
        assert client.get(bad).status_code == 404, bad


@pytest.mark.django_db
def test_the_sitemap_reads_in_a_constant_number_of_queries(client, calls):
    _mission, open_call, _closed = calls

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    IdeaFactory.create_batch(2, call=open_call)
    urls = ("/sitemap.xml", "/sitemap-pages.xml", "/sitemap-ideas.xml")
    for url in urls:  # warm the process's caches (content types, the site)
        queries(url)
    few = {url: queries(url) for url in urls}
    IdeaFactory.create_batch(8, call=open_call)
    for n in range(3):
        CallFactory(parent=open_call.get_parent(), title=f"More {n}", slug=f"more-{n}")
    many = {url: queries(url) for url in few}
    assert many == few
