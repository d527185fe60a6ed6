"""What a mission page shows that belongs to the apps above consult.

The mission page lists its learning questions; the ideas that answer them
(Idea.learning_questions) belong to `ideas`, which sits above consult in the
layer rule (docs/architecture.md), so consult may not import it. As with the
call page (consult/call_page.py), `ideas` registers a provider once from its
AppConfig.ready(), and the page asks it here.

`provider(mission)` returns [(question id, call id, number of public ideas)]
in a fixed number of queries, whatever the number of questions and ideas.
Without a provider (consult on its own) the page shows no counts."""

_question_ideas = []


def register_question_ideas(provider):
    _question_ideas[:] = [provider]


def question_ideas(mission):
    return [row for provider in _question_ideas for row in provider(mission)]
