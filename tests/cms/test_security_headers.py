"""Every response carries a Content-Security-Policy and a Permissions-Policy:
pages, the JSON API and the Wagtail admin. The public policy lets inline
script run only with the request's nonce; the admin's allowances stay on
/admin/. The browser half (nothing is refused on any page) is
tests/browser/test_site_tour.py."""

import re

import pytest

from ..factories import IdeaFactory

SAFE_SOURCES = {"'self'", "'none'", "data:", "blob:", "'unsafe-inline'"}


def policy(response):
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def other_origins(directives):
    return {v for values in directives.values() for v in values if v not in SAFE_SOURCES and not v.startswith("'nonce-")}


@pytest.mark.django_db
def test_a_page_allows_inline_script_only_with_its_own_nonce(client, call):
    first = client.get(call.url)
    second = client.get(call.url)
    assert first.status_code == 200
    directives = policy(first)
    nonces = [v for v in directives["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-"):-1]
    # The GOV.UK js-enabled snippet carries the same nonce; no inline script goes without one.
    scripts = re.findall(r"<script\b([^>]*)>", first.content.decode())
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline == [f' nonce="{nonce}"']
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert other_origins(directives) == set()
    # A fresh nonce for every response, or it could be lifted from one page into an injected script.
    assert policy(second)["script-src"] != directives["script-src"]


@pytest.mark.django_db
def test_the_json_api_and_an_idea_page_carry_both_headers(client, call):
    idea = IdeaFactory(call=call)
    for url in ("/api/v1/missions", f"/api/v1/calls/{call.pk}/ideas", idea.get_absolute_url(), "/accounts/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response)["default-src"] == ["'self'"], url
        assert "camera=()" in response.headers["Permissions-Policy"], url


def test_permissions_policy_refuses_powerful_features(client):
    header = client.get("/health").headers["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert features[feature] == "()", feature


@pytest.mark.django_db
def test_the_admin_gets_its_allowances_and_nothing_from_elsewhere(client, admin_user, call):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]  # Wagtail's inline panel scripts
    assert directives["frame-ancestors"] == ["'self'"]  # the page preview iframe
    assert directives["object-src"] == ["'none'"]
    assert other_origins(directives) == set()
    assert "camera=()" in response.headers["Permissions-Policy"]
    # ...and only there: the public site keeps its strict policy.
    assert "'unsafe-inline'" not in policy(client.get(call.url))["script-src"]


@pytest.mark.django_db
def test_the_admin_asks_no_third_party_for_avatars_or_updates(client, admin_user, site):
    # `site`: the dashboard links the root page, which a flushed database lacks.
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert "gravatar.com" not in html
    assert "w-upgrade" not in html  # the dashboard's release check, fetched from releases.wagtail.org


@pytest.mark.django_db
def test_debug_error_pages_carry_the_policy(client, site, settings):
    """django-csp leaves Django's technical 404 and 500 pages (DEBUG=True)
    without a header; ours sends the site's policy there too, with inline
    styles allowed so the technical page stays readable."""
    settings.DEBUG = True
    response = client.get("/no-such-page-at-all/")
    assert response.status_code == 404
    directives = policy(response)
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert other_origins(directives) == set()
    assert client.get("/api/v1/ideas/999999999").headers.get("Content-Security-Policy")
