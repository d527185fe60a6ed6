"""Indexing many documents at once (search/backend.index_many, used by every
sync of ideas and comments): the same entries as one at a time, in a fixed
number of statements whatever their number on PostgreSQL (a few batches of
rows on SQLite), and the words join the typo vocabulary on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import backend
from search.models import Entry

pytestmark = pytest.mark.django_db


def doc(id, title, kind="idea", **fields):
    return {"kind": kind, "id": id, "title": title, "url": f"/{kind}/{id}/", **fields}


def test_many_documents_in_a_fixed_number_of_statements_replacing_old_entries():
    backend.index(doc(1, "Tidal lagoons for the Severn"))
    small = [doc(i, f"Community heat network {i}") for i in range(1, 11)]
    large = [doc(i, f"Community heat network {i}") for i in range(1, 401)]
    with CaptureQueriesContext(connection) as few:
        backend.index_many(small)
    with CaptureQueriesContext(connection) as many:
        backend.index_many(large)
    if connection.vendor == "postgresql":
        # Two more than before: the replaced entries' words, and those no entry holds any more taken
        # out of the vocabulary (search/database.py).
        assert len(many.captured_queries) == len(few.captured_queries) <= 8
    else:  # SQLite caps a statement's parameters: the INSERT goes in batches of rows
        assert len(many.captured_queries) <= 20  # one at a time was three a document, 1,200
    assert Entry.objects.filter(kind="idea").count() == 400
    assert Entry.objects.get(kind="idea", object_id=1).title == "Community heat network 1"  # replaced, not doubled
    results = backend.search("heat network 399", facets=False)
    assert [hit.id for hit in results.hits][:1] == [399]
    assert backend.search("Severn", facets=False).total == 0


def test_remove_many_and_an_empty_batch():
    backend.index_many([doc(i, f"Bus lanes {i}") for i in range(1, 6)])
    backend.index_many([])
    backend.remove_many("idea", [2, 4, 99])
    assert sorted(Entry.objects.filter(kind="idea").values_list("object_id", flat=True)) == [1, 3, 5]
    with pytest.raises(ValueError):
        backend.remove_many("nonsense", [1])


def test_words_of_a_batch_correct_typos_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the search_word vocabulary is PostgreSQL's (SQLite corrects from FTS5's own)")
    backend.index_many([doc(1, "Agrivoltaics on upland farms"), doc(2, "Peatland restoration")])
    results = backend.search("agrivoltaic farms", facets=False)
    assert [hit.id for hit in results.hits] == [1]
    results = backend.search("peatlnd", facets=False)
    assert [hit.id for hit in results.hits] == [2]
