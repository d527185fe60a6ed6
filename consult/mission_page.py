"""What a mission page shows that belongs to the apps above consult.

The mission page lists its learning questions; the ideas that answer them
(Idea.learning_questions) belong to `ideas`, which sits above consult in the
layer rule (docs/architecture.md), so consult may not import it. As with the
call page (consult/call_page.py), `ideas` registers a provider once from its
AppConfig.ready(), and the page asks it here.

`provider(mission)` returns [(question id, call id, number of public ideas)]
in a fixed number of queries, whatever the number of questions and ideas.
Without a provider (consult on its own) the page shows no counts."""

from collections.abc import Callable, Iterable
from typing import Any

from .parts import Places

_question_ideas = []


def register_question_ideas(provider: Callable[[Any], Iterable[tuple[int, int, int]]]) -> None:
    _question_ideas[:] = [provider]


def question_ideas(mission):
    return [row for provider in _question_ideas for row in provider(mission)]


# The mission page's sections owned by apps above consult (pilots: its
# pilots and "you said, we did"). `provider(mission)` returns a dict merged
# into the page's context, in a fixed number of queries.
_sections = []


def register_section(provider: Callable[[Any], dict]) -> None:
    if provider not in _sections:
        _sections.append(provider)


def sections(mission):
    context = {}
    for provider in _sections:
        context.update(provider(mission))
    return context


# What a cited page (a pilot or a call) adds to a learning question's or a
# pathway version's evidence list: `provider(pages)` returns
# {page id: {"status": str, "results": [...]}} for the pages it knows, in a
# fixed number of queries.
_evidence = []


def register_evidence(provider: Callable[[Iterable[Any]], dict[int, dict]]) -> None:
    _evidence[:] = [provider]


def evidence_details(pages):
    details = {}
    for provider in _evidence:
        details.update(provider(pages))
    return details


# The page's own context and its learning questions' sub-pages
# (consult/mission_views.py): they read consult's selectors and rules, which
# import the models, so consult/apps.py registers them and the page model
# asks here rather than importing them.
_page = {}


def register_page(context: Callable, question: Callable) -> None:
    """`context(mission, request)` returns the page's context; `question(request,
    mission, question_id)` answers /missions/<slug>/questions/<id>/."""
    _page.update(context=context, question=question)


def page_context(mission, request):
    return _page["context"](mission, request)


def serve_question(request, mission, question_id):
    return _page["question"](request, mission, question_id)


# The mission page's links and sections owned by the apps above consult
# (their routes: participation, "you said, we did", pilots, open data,
# moderation, following), so consult's template names none of them. The
# template sees the page's context (`page`, `can_moderate`, the sections').
PLACES = ("tools", "after_calls", "end")
_places = Places("mission page", PLACES)
register_part = _places.register
parts = _places.parts
