"""Topic and event names are built in one place, the grammar reads back what
the builders write, and live stays a leaf: the apps that own the data
register who may follow their topics and what a tally carries."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from live import events, topics
from live.topics import TopicError

LIVE = Path(topics.__file__).resolve().parent
PROJECT_APPS = {"cms", "consult", "ideas", "moderation", "search", "demo", "opendata"}


def test_live_imports_no_other_project_app():
    """Not even inside a function: the registry replaces those imports."""
    found = []
    for path in LIVE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            found += [f"{path.name}: {name}" for name in names if name.split(".")[0] in PROJECT_APPS]
    assert found == []


@pytest.mark.parametrize(
    "builder, kind", [(topics.call_topic, "call"), (topics.idea_topic, "idea"),
                      (topics.moderation_topic, "moderation"), (topics.user_topic, "user")]
)
def test_builders_write_what_the_grammar_reads(builder, kind):
    for pk in (1, 42, "42", 10**12 - 1):
        name = builder(pk)
        assert name == f"{kind}:{int(pk)}"
        assert topics.parse_topic(name) == (kind, int(pk))
        assert topics.kind_of(name) == kind


@pytest.mark.parametrize("kind, pk", [("poll", 1), ("call", -1), ("call", 10**12), ("call", "x")])
def test_builders_refuse_names_outside_the_grammar(kind, pk):
    with pytest.raises(ValueError):
        topics.topic_name(kind, pk)


def test_the_apps_register_every_kind_and_the_tally_reader():
    assert topics.registered_kinds() == topics.KINDS
    assert events._tally_reader is not None


def test_an_unregistered_kind_answers_unknown_topic(monkeypatch):
    monkeypatch.setattr(topics, "_authorisers", {})
    with pytest.raises(TopicError) as refused:
        topics.authorise(AnonymousUser(), "call:1")
    assert (refused.value.code, refused.value.message) == ("unknown_topic", topics.UNKNOWN_TOPIC)


def test_a_registered_authoriser_decides(monkeypatch):
    monkeypatch.setattr(topics, "_authorisers", {})
    asked = []

    def refuse_odd(user, pk):
        asked.append(pk)
        if pk % 2:
            raise TopicError("forbidden", "odd")

    topics.register_kind(topics.CALL, refuse_odd)
    assert topics.authorise(AnonymousUser(), "call:2") == ("call", 2)
    with pytest.raises(TopicError, match="odd"):
        topics.authorise(AnonymousUser(), "call:3")
    assert asked == [2, 3]
    with pytest.raises(ValueError):
        topics.register_kind("poll", refuse_odd)


def test_without_a_tally_reader_nothing_is_sent(monkeypatch):
    monkeypatch.setattr(events, "_tally_reader", None)
    assert events.read_tallies("call:1", {1}) == []
