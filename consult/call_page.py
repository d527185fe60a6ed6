"""What a challenge call's page offers beyond its own content, supplied by
the apps above consult.

The call page owns its URLs (`/missions/<m>/calls/<c>/submit/`, `follow/`,
`export/`, `feed/`) and its template, but what those sub-pages do, and the
ideas half of the page's context, belong to `ideas` and `opendata`, which sit
above consult in the layer rule (docs/architecture.md): consult may not
import them. So each app registers what it adds, once, from its
AppConfig.ready(), and the page looks it up here. A registry rather than
Wagtail hooks because the page needs exactly one view per route and an
ordered list of context providers, and it fails loudly (404 for a route
nobody registered) rather than silently. Moving the URLs into `ideas/urls.py`
would have changed addresses that people have bookmarked and shared."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from .parts import Places

_routes = {}
_context_providers = []
# What the apps above show in places on the call page (consult/parts.py):
# after the brief (prizes: stages and criteria), who may submit (ideas:
# organisations), and beside the ideas (following a tag).
PLACES = ("after_brief", "who_may_submit", "idea_tools")
_places = Places("call page", PLACES)
register_part = _places.register
parts = _places.parts


def register_route(name: str, view: Callable[[HttpRequest, Any], HttpResponse]) -> None:
    """`view(request, call)` answers the call page's sub-page `name`."""
    _routes[name] = view


def register_context(provider: Callable[[Any, HttpRequest], dict]) -> None:
    """`provider(call, request)` returns a dict merged into the page's context."""
    if provider not in _context_providers:
        _context_providers.append(provider)


def route(name):
    """The registered view for a sub-page, or None (the page answers 404)."""
    return _routes.get(name)


def context(call, request):
    merged = {"call_parts": parts()}
    for provider in _context_providers:
        merged.update(provider(call, request))
    return merged
