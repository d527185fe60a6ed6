"""Runs only against a real Elasticsearch: ELASTICSEARCH_URL=http://… make test.

Everything goes through the one interface (search/backend.py) and the
`search_index` command, in indices of a throwaway prefix that are deleted
afterwards."""

import os
import uuid
from datetime import datetime, timedelta, UTC

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.elasticsearch_live,
    pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL (no server runs in CI here)"),
]

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def doc(id, title, **fields):
    return {"kind": "idea", "id": id, "title": title, "url": f"/ideas/{id}/", "published_at": T0 + timedelta(days=id), **fields}


@pytest.fixture
def live(settings, monkeypatch):
    from search import backend, elastic

    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    prefix = settings.SEARCH_INDEX_PREFIX = f"mc-test-{uuid.uuid4().hex[:8]}"
    source = [
        doc(1, "Tidal lagoons for the Severn", summary="Power from the tides, all year round.", call_id=5, mission_id=2),
        doc(2, "Bus lanes on the ring road", summary="Faster buses at rush hour.", call_id=6, mission_id=3,
            organisation="Ormsby Transport Trust", support_count=9),
        doc(3, "Council depots", body="The heat from the depot is wasted while the town pumps water uphill.", call_id=5),
        doc(4, "Ground source heat pumps for every depot", body="Heat pumps in each council depot would cut bills.",
            call_id=5),
    ]
    monkeypatch.setattr(backend, "_sources", {"idea": (lambda: iter(source), lambda: len(source))})
    call_command("search_index", "--create")
    try:
        yield source
    finally:
        es = elastic.client()
        for name in es.indices.get(index=f"{prefix}-*", ignore_unavailable=True):
            es.indices.delete(index=name, ignore_unavailable=True)


def ids(results):
    assert results.backend == "elasticsearch", results.notice
    return [hit.id for hit in results.hits]


@pytest.mark.django_db
def test_index_search_similar_remove_rebuild_and_check(live):
    from search import backend, elastic

    for item in live:
        backend.index(item)
    elastic.refresh()

    assert ids(backend.search("tidal lagoon")) == [1]  # stemming: "lagoon" finds "lagoons"
    assert "<mark>tides</mark>" in backend.search("tides").hits[0].snippet
    assert ids(backend.search("lagons")) == [1]  # a one-letter typo
    assert ids(backend.search("Ormsby")) == [2]  # an organisation's name
    assert ids(backend.search("heat pumps"))[0] == 4  # the phrase beats the scattered words
    assert ids(backend.search("depot -pumps")) == []  # both mention pumps
    assert ids(backend.search("tidal OR buses", sort="supported")) == [2, 1]
    facets = backend.search("depot").facets
    assert facets["kind"] == [("idea", 2)] and facets["call_id"] == [(5, 2)]
    assert ids(backend.search("depot", filters={"call_id": 6})) == []
    assert backend.search("-pumps").error

    similar = backend.similar("idea", "Ground source heat pumps in our council depots", filters={"call_id": 5})
    assert [hit.id for hit in similar][:1] == [4]
    assert 2 not in [hit.id for hit in similar]
    assert 4 not in [hit.id for hit in backend.similar("idea", "heat pumps in council depots", exclude=4)]

    backend.remove("idea", 1)
    elastic.refresh()
    assert ids(backend.search("tidal lagoon")) == []

    first = set(elastic.client().indices.get_alias(name=elastic.alias_name("idea")))
    call_command("search_index", "--rebuild", verbosity=0)
    after = set(elastic.client().indices.get_alias(name=elastic.alias_name("idea")))
    assert len(after) == 1 and after != first  # swapped to a new index
    assert ids(backend.search("tidal lagoon")) == [1]  # the source has it
    call_command("search_index", "--check", verbosity=0)
    assert backend.health()["ok"]
