"""`manage.py search_index`: the index lifecycle. The Elasticsearch path runs
against a recording fake (tests/search/fake_elastic.py); the database path
runs for real, in a subprocess as `make run` and compose run it."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ideas.models import Visibility
from search import backend, elastic

from ..factories import IdeaFactory

ROOT = Path(__file__).resolve().parents[2]
VERSIONED = re.compile(r"^mc-ideas-\d{20}$")


def run(*args):
    out = StringIO()
    call_command("search_index", *args, stdout=out)
    return out.getvalue()


def test_without_elasticsearch_there_is_no_index_and_it_succeeds(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("ELASTICSEARCH_URL", "DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", DATA_DIR=str(tmp_path))
    for flag in ("--create", "--rebuild"):
        result = subprocess.run(
            [sys.executable, "manage.py", "search_index", flag], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert "database" in result.stdout and "no index" in result.stdout


def test_it_needs_one_action(settings):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError):
        run()


def test_create_makes_a_versioned_index_behind_the_alias_with_the_mapping(fake_es):
    out = run("--create")
    (create,) = fake_es.named("indices.create")
    assert VERSIONED.match(create["index"])
    assert create["aliases"] == {"mc-ideas": {}}
    assert create["mappings"] == elastic.IdeaDocument._doc_type.mapping.to_dict()
    assert create["settings"] == {"number_of_shards": 1, "number_of_replicas": 0}
    assert create["index"] in out
    assert fake_es.indices.behind("mc-ideas") == [create["index"]]


def test_create_leaves_an_existing_index_alone(fake_es):
    run("--create")
    fake_es.calls.clear()
    assert "exists already" in run("--create")
    assert fake_es.calls == [("indices.exists", {"index": "mc-ideas"})]


@pytest.mark.django_db
def test_rebuild_fills_a_new_index_from_the_source_then_swaps_the_alias_atomically(fake_es, call):
    run("--create")
    (first,) = fake_es.indices.behind("mc-ideas")
    public = [IdeaFactory(call=call, title=f"Idea {n}") for n in range(3)]
    public[0].tags.add("energy")
    IdeaFactory(call=call, title="Hidden", visibility=Visibility.HIDDEN)
    fake_es.calls.clear()

    out = run("--rebuild")

    calls = [name for name, _ in fake_es.calls]
    # Created, filled and refreshed before the alias moves; the old index
    # goes only after the swap, so a search always finds a full index.
    assert calls == ["indices.create", "bulk", "indices.refresh", "indices.exists_alias", "indices.get_alias",
                     "indices.update_aliases", "indices.delete"]
    (create,) = fake_es.named("indices.create")
    new = create["index"]
    assert VERSIONED.match(new) and new != first and create["aliases"] is None
    assert create["mappings"] == elastic.IdeaDocument._doc_type.mapping.to_dict()
    (bulk,) = fake_es.named("bulk")
    actions, sources = bulk["operations"][::2], bulk["operations"][1::2]
    assert actions == [{"index": {"_index": new, "_id": idea.pk}} for idea in public]
    assert sources[0]["tags"] == ["energy"] and sources[0]["call_id"] == call.pk
    assert sources[0]["mission_id"] == call.get_parent().pk
    assert all("kind" not in s and "id" not in s for s in sources)
    (swap,) = fake_es.named("indices.update_aliases")
    assert swap["actions"] == [{"add": {"index": new, "alias": "mc-ideas"}}, {"remove": {"index": first, "alias": "mc-ideas"}}]
    assert fake_es.named("indices.delete") == [{"index": first, "ignore_unavailable": True}]
    assert fake_es.indices.behind("mc-ideas") == [new]
    assert "3 documents" in out and new in out


@pytest.mark.django_db
def test_rebuild_replaces_an_index_from_before_aliases_in_the_same_request(fake_es, site):
    fake_es.indices.existing.add("mc-ideas")  # what ensure_index() used to create
    run("--rebuild")
    (create,) = fake_es.named("indices.create")
    (swap,) = fake_es.named("indices.update_aliases")
    assert swap["actions"] == [{"add": {"index": create["index"], "alias": "mc-ideas"}}, {"remove_index": {"index": "mc-ideas"}}]
    assert fake_es.named("indices.delete") == []
    assert fake_es.indices.behind("mc-ideas") == [create["index"]]


@pytest.mark.django_db
def test_a_failed_rebuild_drops_the_new_index_and_leaves_the_alias(fake_es, call):
    run("--create")
    (first,) = fake_es.indices.behind("mc-ideas")
    IdeaFactory(call=call)
    fake_es.fail_bulk = True
    with pytest.raises(RuntimeError, match="refused a document"):
        run("--rebuild")
    new = fake_es.named("indices.create")[-1]["index"]
    assert fake_es.named("indices.delete") == [{"index": new, "ignore_unavailable": True}]
    assert fake_es.named("indices.update_aliases") == []
    assert fake_es.indices.behind("mc-ideas") == [first]


def test_rebuild_needs_a_registered_source(fake_es, monkeypatch):
    monkeypatch.setattr(backend, "_sources", {})
    with pytest.raises(CommandError, match="No document source"):
        run("--rebuild")


def test_rebuild_chunks_large_sources(fake_es, monkeypatch):
    monkeypatch.setattr(elastic, "BULK_CHUNK", 2)
    docs = ({"kind": "idea", "id": n, "title": f"t{n}"} for n in range(5))
    name, count = backend.rebuild("idea", docs)
    assert count == 5
    assert [len(b["operations"]) // 2 for b in fake_es.named("bulk")] == [2, 2, 1]
    assert sorted(fake_es.documents[name]) == [0, 1, 2, 3, 4]
