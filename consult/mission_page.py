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
