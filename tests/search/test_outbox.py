"""When Elasticsearch cannot be reached, writes still succeed, searches fall
back to the database with a notice, and missed changes wait in the outbox
until it answers again; then the newest state of each item wins. Runs
through the one interface (search/backend.py) with the recording fake
client; the database index is real (SQLite or PostgreSQL)."""

import logging

import pytest
from elasticsearch import BadRequestError

from search import backend, elastic, outbox
from search.models import Entry, Outbox

from .fake_elastic import api_error

pytestmark = pytest.mark.django_db


def doc(id, title, kind="idea", **fields):
    return {"kind": kind, "id": id, "title": title, "url": f"/{kind}/{id}/", **fields}


@pytest.fixture
def es(fake_es):
    elastic.create()
    return fake_es


def queued():
    return sorted(Outbox.objects.values_list("kind", "object_id"))


def test_writes_succeed_while_elasticsearch_is_down_and_wait_in_the_outbox(es, caplog):
    backend.index(doc(1, "Tidal lagoons for the Severn"))
    es.down = True
    with caplog.at_level(logging.WARNING, logger="search.outbox"):
        backend.index(doc(2, "Community energy for every street"))
        backend.index(doc(1, "Tidal lagoons for the Severn estuary"))
        backend.index(doc(1, "Tidal lagoons for the Severn and the Mersey"))
        backend.remove("idea", 1)
        backend.remove("comment", 7)
    # The database index has the newest state; the outbox one row per item.
    assert list(Entry.objects.values_list("object_id", flat=True)) == [2]
    assert queued() == [("comment", 7), ("idea", 1), ("idea", 2)]
    assert Outbox.objects.get(kind="idea", object_id=1).attempts == 2  # queued again twice
    assert "waits in the search outbox" in caplog.text
    assert outbox.backlog() == 3


def test_search_falls_back_to_the_database_with_a_notice(es):
    backend.index(doc(1, "Tidal lagoons for the Severn"))
    backend.index(doc(2, "Bus lanes on the ring road"))
    assert es.named("search") == []
    assert backend.search("tidal").backend == "elasticsearch"
    es.down = True
    results = backend.search("tidal lagoons")
    assert results.backend == "database"
    assert [hit.id for hit in results.hits] == [1]
    assert "reduced mode" in results.notice


def test_health_reports_the_outage_and_the_backlog(es):
    es.down = True
    backend.index(doc(1, "Tidal lagoons"))
    assert backend.health() == {"backend": "elasticsearch", "ok": False, "detail": "no answer", "backlog": 1}


def test_when_elasticsearch_returns_the_drain_sends_each_item_as_it_is_now(es):
    backend.index(doc(1, "Tidal lagoons"))
    backend.index(doc(3, "Old bus lanes"))
    es.down = True
    backend.index(doc(1, "Tidal lagoons for the Severn", tags=["energy", "water"], call_id=7))
    backend.index(doc(2, "Community energy"))
    backend.remove("idea", 3)
    es.down = False

    assert outbox.drain() == (3, 0)

    stored = es.behind("mc-ideas")
    assert sorted(stored) == [1, 2]  # the removed item is removed
    assert stored[1]["title"] == "Tidal lagoons for the Severn"
    assert stored[1]["tags"] == ["energy", "water"] and stored[1]["call_id"] == 7
    assert stored[2]["kind"] == "idea" and stored[2]["url"] == "/idea/2/"
    assert outbox.backlog() == 0


def test_a_drain_stops_at_the_first_failure_and_keeps_the_rest(es, monkeypatch):
    es.down = True
    for n in (1, 2, 3):
        backend.index(doc(n, f"Idea {n}"))
    es.down = False
    real_index = es.index
    sent = []

    def index_then_fall_over(**kwargs):
        if sent:
            es.down = True
        sent.append(kwargs["id"])
        return real_index(**kwargs)

    monkeypatch.setattr(es, "index", index_then_fall_over)
    assert outbox.drain() == (1, 2)
    assert queued() == [("idea", 2), ("idea", 3)]


def test_a_refused_document_stays_queued_and_the_drain_goes_on(es, monkeypatch):
    es.down = True
    backend.index(doc(1, "Refused"))
    backend.index(doc(2, "Fine"))
    es.down = False
    real_index = es.index

    def refuse_one(**kwargs):
        if kwargs["id"] == 1:
            raise api_error(BadRequestError, 400, "mapper_parsing_exception")
        return real_index(**kwargs)

    monkeypatch.setattr(es, "index", refuse_one)
    assert outbox.drain() == (1, 1)
    assert queued() == [("idea", 1)]
    assert Outbox.objects.get().attempts == 1


def test_drain_respects_its_limit_oldest_first(es):
    es.down = True
    for n in (3, 1, 2):
        backend.index(doc(n, f"Idea {n}"))
    es.down = False
    assert outbox.drain(limit=2) == (2, 1)
    assert queued() == [("idea", 2)]


def test_an_item_queued_again_while_it_is_sent_stays_queued(es, monkeypatch):
    es.down = True
    backend.index(doc(1, "First"))
    es.down = False
    real_index = es.index

    def changed_meanwhile(**kwargs):
        outbox.queue("idea", 1)  # another writer missed Elasticsearch during the drain
        return real_index(**kwargs)

    monkeypatch.setattr(es, "index", changed_meanwhile)
    assert outbox.drain() == (1, 1)
    assert queued() == [("idea", 1)]


def test_a_successful_write_drains_a_backlog_after_commit(es, django_capture_on_commit_callbacks):
    es.down = True
    backend.index(doc(1, "Missed"))
    es.down = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        backend.index(doc(2, "Sent"))
    assert len(callbacks) == 1
    assert sorted(es.behind("mc-ideas")) == [1, 2]
    assert outbox.backlog() == 0


def test_drain_soon_is_bounded(es, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(outbox, "DRAIN_SOON_LIMIT", 2)
    es.down = True
    for n in range(1, 6):
        backend.index(doc(n, f"Idea {n}"))
    es.down = False
    with django_capture_on_commit_callbacks(execute=True):
        outbox.drain_soon()
    assert outbox.backlog() == 3


def test_health_drains_once_elasticsearch_answers(es, django_capture_on_commit_callbacks):
    es.down = True
    backend.index(doc(1, "Missed"))
    es.down = False
    with django_capture_on_commit_callbacks(execute=True):
        assert backend.health()["backlog"] == 1
    assert outbox.backlog() == 0 and 1 in es.behind("mc-ideas")


def test_forget_drops_only_that_kind(es):
    es.down = True
    backend.index(doc(1, "An idea"))
    backend.index(doc(2, "A comment", kind="comment"))
    outbox.forget("idea")
    assert queued() == [("comment", 2)]


def test_a_write_that_elasticsearch_refuses_never_fails_the_writer(es, monkeypatch, caplog):
    def refuse(**kwargs):
        raise api_error(BadRequestError, 400, "strict_dynamic_mapping_exception")

    monkeypatch.setattr(es, "index", refuse)
    backend.index(doc(1, "Refused"))
    assert queued() == [("idea", 1)]
    assert "refused" in caplog.text


def test_an_outbox_row_becomes_the_document_its_entry_stands_for(es):
    backend.index(doc(4, "Heat pumps", summary="s", body="b", tags=["heat", "pumps"], organisation="Ormsby Ltd",
                      author="Ann", status="submitted", sector="Energy", org_type="business", mission_id=2, call_id=3,
                      support_count=5, context="Idea in Warm homes"))
    entry = Entry.objects.get(kind="idea", object_id=4)
    rebuilt = outbox.document(entry)
    assert rebuilt == {k: v for k, v in es.behind("mc-ideas")[4].items()} | {"id": 4}
