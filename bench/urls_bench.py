"""The site's URLs plus one bare Django view: the baseline of `make bench`
(same server, same settings, same middleware; no template, no query).
Used only by bench/settings_bench.py."""

from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def bare(request):
    """GET and POST (a POST passes the CSRF check, as a vote does)."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare, name="bench_bare"), *site_urlpatterns]
