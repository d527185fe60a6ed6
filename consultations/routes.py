"""The consultation page's sub-pages, answered by views registered from
consultations/apps.py, so that the page model imports no view (the views
import the models)."""

from collections.abc import Callable

from django.http import Http404

_routes: dict[str, Callable] = {}


def register(name: str, view: Callable) -> None:
    """`view(request, consultation, **kwargs)` answers the sub-page `name`."""
    _routes[name] = view


def answer(name: str, request, page, **kwargs):
    view = _routes.get(name)
    if view is None:
        raise Http404("No such page.")
    return view(request, page, **kwargs)


_contexts: list[Callable] = []


def register_context(provider: Callable) -> None:
    """`provider(request, consultation)` gives a dict added to the consultation page's context."""
    _contexts.append(provider)


def context(request, page) -> dict:
    found = {}
    for provider in _contexts:
        found.update(provider(request, page))
    return found
