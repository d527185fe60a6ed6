"""`manage.py search_index`: the index lifecycle. The Elasticsearch path runs
against a recording fake (tests/search/fake_elastic.py); the database path
runs for real (and `--create`, as `make run` runs it, in a subprocess)."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from search import backend, elastic, outbox
from search.models import Entry, Outbox

ROOT = Path(__file__).resolve().parents[2]
VERSIONED = re.compile(r"^mc-(idea|comment|mission|call|page|note)s-\d{20}$")
REBUILD_CALLS = ["indices.create", "bulk", "indices.refresh", "indices.exists_alias", "indices.get_alias",
                 "indices.update_aliases", "indices.delete"]


def run(*args):
    out = StringIO()
    call_command("search_index", *args, stdout=out)
    return out.getvalue()


def doc(kind, id, title=None, **fields):
    return {"kind": kind, "id": id, "title": title or f"{kind} {id}", "url": f"/{kind}/{id}/", **fields}


@pytest.fixture
def sources(monkeypatch):
    """Two registered kinds whose documents a test may change."""
    data = {
        "idea": [doc("idea", n, tags=["energy"] if n == 1 else [], call_id=7, mission_id=2) for n in (1, 2, 3)],
        "comment": [doc("comment", 10)],
    }
    monkeypatch.setattr(
        backend, "_sources", {kind: (lambda kind=kind: iter(data[kind]), lambda kind=kind: len(data[kind])) for kind in data}
    )
    return data


@pytest.fixture
def database_only(settings):
    settings.ELASTICSEARCH_URL = ""


def test_create_without_elasticsearch_succeeds_with_nothing_to_create(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("ELASTICSEARCH_URL", "DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "search_index", "--create"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "database" in result.stdout and "no index to create" in result.stdout


def test_it_needs_one_action(database_only):
    with pytest.raises(CommandError):
        run()
    with pytest.raises(CommandError):
        call_command("search_index", "--create", "--drain")


# --- --create -------------------------------------------------------------------------------


def test_create_makes_a_versioned_index_behind_each_alias_with_the_mapping(fake_es):
    out = run("--create")
    creates = fake_es.named("indices.create")
    # The built-in kinds, then each registered kind of contribution (tests/kindapp's notes).
    assert [c["aliases"] for c in creates] == [{f"mc-{kind}s": {}} for kind in ("idea", "comment", "mission", "call", "page",
                                                                               "note")]
    for create in creates:
        assert VERSIONED.match(create["index"])
        assert create["mappings"] == elastic.mapping()
        assert create["settings"] == {"number_of_shards": 1, "number_of_replicas": 0}
        assert create["index"] in out
        (alias,) = create["aliases"]
        assert fake_es.indices.behind(alias) == [create["index"]]


def test_create_leaves_existing_indices_alone(fake_es):
    run("--create")
    fake_es.calls.clear()
    assert "exist already" in run("--create")
    assert [name for name, _ in fake_es.calls] == ["indices.exists"] * 6


def test_create_when_elasticsearch_is_down_fails_clearly(fake_es):
    fake_es.down = True
    with pytest.raises(CommandError, match="Elasticsearch did not answer"):
        run("--create")


# --- --rebuild --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rebuild_fills_new_indices_from_the_sources_then_swaps_each_alias_atomically(fake_es, sources):
    run("--create")
    (first,) = fake_es.indices.behind("mc-ideas")
    Entry.objects.create(kind="idea", object_id=99, title="gone since", url="/x/")
    fake_es.calls.clear()

    out = run("--rebuild")

    # Per kind: created, filled and refreshed before the alias moves; the old
    # index goes only after the swap, so a search always finds a full index.
    assert [name for name, _ in fake_es.calls if name != "options"] == REBUILD_CALLS * 2
    create = fake_es.named("indices.create")[0]
    new = create["index"]
    assert VERSIONED.match(new) and new != first and create["aliases"] is None
    assert create["mappings"] == elastic.mapping()
    bulk = fake_es.named("bulk")[0]
    actions, bodies = bulk["operations"][::2], bulk["operations"][1::2]
    assert actions == [{"index": {"_index": new, "_id": n}} for n in (1, 2, 3)]
    assert bodies[0]["tags"] == ["energy"] and bodies[0]["call_id"] == 7 and bodies[0]["kind"] == "idea"
    assert bodies[1]["summary"] == "" and bodies[1]["support_count"] == 0  # cleaned: every field
    swap = fake_es.named("indices.update_aliases")[0]
    assert swap["actions"] == [{"add": {"index": new, "alias": "mc-ideas"}}, {"remove": {"index": first, "alias": "mc-ideas"}}]
    assert fake_es.named("indices.delete")[0] == {"index": first, "ignore_unavailable": True}
    assert fake_es.indices.behind("mc-ideas") == [new]
    assert sorted(fake_es.behind("mc-comments")) == [10]
    # The database index is rebuilt too: what the source no longer has is gone.
    assert sorted(Entry.objects.filter(kind="idea").values_list("object_id", flat=True)) == [1, 2, 3]
    assert "Rebuilt idea search: 3 documents in search_entry (database), 3 documents in " + new in out


@pytest.mark.django_db
def test_rebuild_shows_a_progress_bar_per_backend_unless_quiet(fake_es, sources, monkeypatch):
    monkeypatch.setattr(elastic, "BULK_CHUNK", 2)
    run("--create")
    out = run("--rebuild")
    assert "\ridea → database [##############################] 3/3" in out
    assert "\ridea → elasticsearch [####################----------] 2/3" in out
    assert "\ridea → elasticsearch [##############################] 3/3" in out
    assert [len(b["operations"]) // 2 for b in fake_es.named("bulk")] == [2, 1, 1]

    quiet = StringIO()
    call_command("search_index", "--rebuild", verbosity=0, stdout=quiet)
    assert quiet.getvalue() == ""


@pytest.mark.django_db
def test_rebuild_replaces_an_index_from_before_aliases_in_the_same_request(fake_es, sources):
    fake_es.indices.existing.add("mc-ideas")  # what ensure_index() used to create
    run("--rebuild")
    create = fake_es.named("indices.create")[0]
    swap = fake_es.named("indices.update_aliases")[0]
    assert swap["actions"] == [{"add": {"index": create["index"], "alias": "mc-ideas"}}, {"remove_index": {"index": "mc-ideas"}}]
    assert fake_es.indices.behind("mc-ideas") == [create["index"]]


@pytest.mark.django_db
def test_a_failed_rebuild_drops_the_new_index_and_leaves_the_alias(fake_es, sources):
    run("--create")
    (first,) = fake_es.indices.behind("mc-ideas")
    fake_es.fail_bulk = True
    with pytest.raises(RuntimeError, match="refused a document"):
        run("--rebuild")
    new = fake_es.named("indices.create")[-1]["index"]
    assert fake_es.named("indices.delete") == [{"index": new, "ignore_unavailable": True}]
    assert fake_es.named("indices.update_aliases") == []
    assert fake_es.indices.behind("mc-ideas") == [first]


@pytest.mark.django_db
def test_a_rebuild_while_elasticsearch_is_down_says_so_and_keeps_the_database_index(fake_es, sources):
    fake_es.down = True
    with pytest.raises(CommandError, match=r"did not answer.*database index of idea was rebuilt"):
        run("--rebuild")
    assert Entry.objects.filter(kind="idea").count() == 3


@pytest.mark.django_db
def test_a_rebuild_sends_what_the_outbox_held_so_it_forgets_that_kind(fake_es, sources):
    run("--create")
    outbox.queue("idea", 2)
    outbox.queue("comment", 10)
    run("--rebuild")
    assert Outbox.objects.count() == 0


def test_rebuild_needs_a_registered_source(fake_es, monkeypatch):
    monkeypatch.setattr(backend, "_sources", {})
    with pytest.raises(CommandError, match="No document source"):
        run("--rebuild")


@pytest.mark.django_db
def test_rebuild_on_the_database_only_config_rebuilds_the_database_index(database_only, sources):
    Entry.objects.create(kind="idea", object_id=99, title="stale", url="/x/")
    out = run("--rebuild")
    assert sorted(Entry.objects.filter(kind="idea").values_list("object_id", flat=True)) == [1, 2, 3]
    assert "Rebuilt idea search: 3 documents in search_entry (database), now live." in out
    assert "elasticsearch" not in out


# --- --check -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_prints_the_counts_and_passes_when_they_match(fake_es, sources):
    run("--create")
    run("--rebuild")
    out = run("--check")
    lines = out.splitlines()
    assert lines[0].split() == ["kind", "source", "database", "elasticsearch"]
    assert lines[2].split() == ["idea", "3", "3", "3"]
    assert lines[3].split() == ["comment", "1", "1", "1"]
    assert "matches" in lines[-1]


@pytest.mark.django_db
def test_check_fails_when_a_count_differs(fake_es, sources):
    run("--create")
    run("--rebuild")
    sources["idea"].append(doc("idea", 4))
    with pytest.raises(CommandError, match="differs from the database for idea"):
        run("--check")


@pytest.mark.django_db
def test_check_fails_when_elasticsearch_does_not_answer(fake_es, sources):
    run("--create")
    run("--rebuild")
    fake_es.down = True
    out = StringIO()
    with pytest.raises(CommandError, match="differs"):
        call_command("search_index", "--check", stdout=out)
    assert out.getvalue().splitlines()[2].split() == ["idea", "3", "3", "no", "answer"]


@pytest.mark.django_db
def test_check_on_the_database_only_config(database_only, sources):
    run("--rebuild")
    assert run("--check").splitlines()[0].split() == ["kind", "source", "database"]
    Entry.objects.filter(kind="comment").delete()
    with pytest.raises(CommandError, match="for comment"):
        run("--check")


# --- --drain -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_drain_sends_the_outbox(fake_es):
    run("--create")
    Entry.objects.create(kind="idea", object_id=5, title="Bus lanes", url="/i/5/")
    outbox.queue("idea", 5)
    assert run("--drain") == "Sent 1 change to Elasticsearch; 0 left in the outbox.\n"
    assert fake_es.behind("mc-ideas")[5]["title"] == "Bus lanes"
    assert run("--drain") == ""  # quiet when there is nothing to do (compose runs it every 30 s)


@pytest.mark.django_db
def test_drain_while_elasticsearch_is_down_keeps_the_outbox(fake_es):
    Entry.objects.create(kind="idea", object_id=5, title="Bus lanes", url="/i/5/")
    outbox.queue("idea", 5)
    fake_es.down = True
    assert "0 changes" in run("--drain") and Outbox.objects.count() == 1


@pytest.mark.django_db
def test_drain_on_the_database_only_config(database_only):
    assert run("--drain") == ""  # nothing a crash left behind: quiet


@pytest.mark.django_db
def test_create_fills_an_empty_database_index_from_the_sources(settings, call):
    """An upgraded site has ideas but no index yet: --create fills it once."""
    from ideas.models import Idea
    from search import backend as search_backend
    from search.models import Entry

    from ..factories import IdeaFactory

    settings.ELASTICSEARCH_URL = ""
    IdeaFactory(call=call, title="Tidal lagoons for the Severn")
    Entry.objects.all().delete()  # as before this index existed
    assert search_backend.search("tidal").total == 0
    out = StringIO()
    call_command("search_index", "--create", stdout=out)
    assert "Filled" not in out.getvalue()  # only when asked
    call_command("search_index", "--create", "--fill-empty", stdout=out)
    assert "Filled the empty idea search index: 1 document" in out.getvalue()
    assert [hit.id for hit in search_backend.search("tidal").hits] == [Idea.objects.get().pk]
    out = StringIO()
    call_command("search_index", "--create", "--fill-empty", stdout=out)
    assert "Filled" not in out.getvalue()  # only when empty
    with pytest.raises(CommandError, match="goes with --create"):
        call_command("search_index", "--check", "--fill-empty")
