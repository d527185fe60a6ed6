"""The database backends for real: PostgreSQL full text in the PostgreSQL
run, SQLite FTS5 in the embedded run, through the one search interface."""

from datetime import datetime, timedelta, UTC

import pytest
from django.db import connection  # noqa: F401 (skipif conditions read it)

from search import backend, similarity
from search.models import Entry

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _database_search(settings):
    settings.ELASTICSEARCH_URL = ""


def put(id, title, kind="idea", **fields):
    doc = {"kind": kind, "id": id, "title": title, "url": f"/{kind}/{id}/", **fields}
    doc.setdefault("published_at", T0 + timedelta(days=id))
    backend.index(doc)
    return doc


def ids(results):
    return [hit.id for hit in results.hits]


def test_stemming_finds_other_forms_of_a_word():
    put(1, "Faster grid connection for community batteries")
    put(2, "Connecting rural schools to fibre")
    put(3, "Bus lanes on the ring road")
    assert set(ids(backend.search("Connections"))) == {1, 2}
    assert set(ids(backend.search("connection"))) == {1, 2}


def test_a_phrase_beats_the_same_words_scattered():
    put(1, "Council depots", body="The heat from the depot is wasted while the town pumps water uphill all night.")
    put(2, "Council depots too", body="Ground source heat pumps in every depot would cut the bills.")
    assert ids(backend.search("heat pumps"))[0] == 2
    assert ids(backend.search('"heat pumps"')) == [2]


def test_a_title_match_outranks_a_body_match():
    put(1, "Something else", body="mentions tidal lagoons in passing")
    put(2, "Tidal lagoons for the Severn")
    assert ids(backend.search("tidal lagoons")) == [2, 1]


@pytest.mark.parametrize("typo", ["mentr", "mentorng", "mentroing"])
def test_a_one_letter_typo_still_finds_its_idea(typo):
    put(1, "Mentoring for first-time founders", summary="Pair each new founder with a mentor from a local firm.")
    put(2, "Safer routes to school", summary="Wider pavements near schools.")
    results = backend.search(typo)
    assert ids(results)[:1] == [1]
    assert results.notice  # the page says these are close matches


def test_an_organisation_name_finds_its_ideas():
    put(1, "Shared apprenticeships across small firms", organisation="Ormsby Engineering Ltd")
    put(2, "Apprenticeship levy reform", organisation="Northern Chamber")
    assert ids(backend.search("Ormsby")) == [1]
    assert ids(backend.search("ormsby engineering")) == [1]


def test_a_prefix_finds_the_longer_word():
    put(1, "Mentoring for first-time founders")
    assert ids(backend.search("mento")) == [1]


def test_exclusion_and_or():
    put(1, "Heat pumps instead of gas boilers")
    put(2, "Heat networks for new estates")
    put(3, "Tidal lagoons")
    assert ids(backend.search("heat -gas")) == [2]
    assert set(ids(backend.search("lagoons OR networks"))) == {2, 3}
    assert ids(backend.search('heat -"gas boilers"')) == [2]


def test_filters_facets_and_sorting():
    put(1, "Community energy one", kind="idea", mission_id=7, call_id=70, status="submitted", sector="Energy", support_count=5)
    put(2, "Community energy two", kind="idea", mission_id=7, call_id=71, status="shortlisted", sector="Energy", support_count=9)
    put(3, "Community energy comment", kind="comment", mission_id=8, call_id=80, support_count=1)
    results = backend.search("community energy")
    assert results.total == 3
    assert dict(results.facets["kind"]) == {"idea": 2, "comment": 1}
    assert dict(results.facets["mission_id"]) == {7: 2, 8: 1}
    assert dict(results.facets["status"]) == {"submitted": 1, "shortlisted": 1}
    assert dict(results.facets["sector"]) == {"Energy": 2}
    narrowed = backend.search("community energy", filters={"mission_id": "7", "kind": "idea"})
    assert sorted(ids(narrowed)) == [1, 2] and narrowed.total == 2
    assert dict(narrowed.facets["call_id"]) == {70: 1, 71: 1}
    assert ids(backend.search("community energy", sort="newest")) == [3, 2, 1]
    assert ids(backend.search("community energy", sort="supported")) == [2, 1, 3]
    assert backend.search("community energy", filters={"status": "shortlisted"}).total == 1


def test_pagination():
    for n in range(1, 26):
        put(n, f"Retrofit scheme number {n}")
    first, second = backend.search("retrofit", per_page=10), backend.search("retrofit", page=3, per_page=10)
    assert first.total == second.total == 25
    assert len(first.hits) == 10 and len(second.hits) == 5
    assert not set(ids(first)) & set(ids(second))


def test_snippets_mark_matches_and_escape_user_text():
    put(1, "Script kiddies", summary="<script>alert('x')</script> Warm homes for every street.")
    hit = backend.search("warm homes").hits[0]
    assert "<mark>Warm</mark>" in hit.snippet and "<script" not in hit.snippet


def test_snippet_html_escapes_everything_but_the_marks():
    from search.results import MARK_END, MARK_START, snippet_html

    html = snippet_html(f"<b>x</b> {MARK_START}heat{MARK_END} & {MARK_START}pumps")
    assert html == "&lt;b&gt;x&lt;/b&gt; <mark>heat</mark> &amp; <mark>pumps</mark>"


@pytest.mark.parametrize(
    "text",
    ['"unterminated heat', "heat)", "((heat", "NEAR(heat pumps)", "title:heat", "heat*", "^heat", "heat AND OR NOT",
     "OR heat OR", '"" heat ""', "héat pümps", "heat\x00pumps", "-", "*", "a" * 5000, "heat " * 100],
)
def test_malformed_queries_give_results_or_a_message_never_an_error(text):
    put(1, "Heat pumps for terraced houses")
    results = backend.search(text)
    assert results.error or results.total >= 0


def test_only_exclusions_or_nothing_gives_a_clear_message():
    put(1, "Heat pumps")
    assert "leave out" in backend.search("-heat").error
    assert backend.search("  ").error
    assert backend.search("!!! ???").error


def test_removed_and_replaced_documents():
    put(1, "Tidal lagoons")
    backend.remove("idea", 1)
    assert backend.search("tidal").total == 0
    put(2, "Tidal lagoons")
    put(2, "Wind farms")
    assert backend.search("tidal").total == 0 and ids(backend.search("wind")) == [2]
    assert Entry.objects.filter(kind="idea", object_id=2).count() == 1


def test_visible_rechecks_hits_through_the_callers_query():
    put(1, "Tidal lagoons")
    put(2, "Tidal barrage")
    results = backend.search("tidal", visible=lambda kind, ids: {i for i in ids if i == 2})
    assert ids(results) == [2] and results.total == 1


def test_rebuild_replaces_the_kind_and_leaves_others():
    put(1, "Old idea")
    put(5, "A mission page", kind="mission")
    registered = backend.sources()["idea"]
    backend.register_source(
        "idea", lambda: iter([{"kind": "idea", "id": 9, "title": "New idea", "url": "/i/9/"}]), lambda: 1
    )
    try:
        report = backend.rebuild("idea")
    finally:
        backend.register_source("idea", *registered)
    assert report["database"][1] == 1
    assert ids(backend.search("idea")) == [9]
    assert ids(backend.search("mission")) == [5]


def test_similar_shows_only_what_is_close_enough():
    put(1, "Mentoring for first-time founders", summary="Pair each founder with an experienced business mentor.", call_id=3)
    put(2, "Stop shop theft on the high street", summary="Local people and shops working together on theft.", call_id=3)
    put(3, "Peer mentoring circles for founders", summary="Founders mentor each other monthly.", call_id=3)
    put(4, "Mentoring founders in another call", call_id=4)
    draft = "Mentoring for young founders"
    similar = backend.similar("idea", draft, filters={"call_id": 3})
    assert {hit.id for hit in similar} == {1, 3}
    assert all(hit.score >= similarity.THRESHOLD for hit in similar)
    assert backend.similar("idea", "the and of", filters={"call_id": 3}) == []


def test_a_snippet_without_matches_is_escaped_html_too():
    from search.results import plain_snippet

    assert plain_snippet("<img src=x onerror=alert(1)> & more") == "&lt;img src=x onerror=alert(1)&gt; &amp; more"


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's column statistics")
def test_large_indexes_take_document_frequencies_from_the_statistics(monkeypatch):
    """At scale an exact count of a common word reads half the table; idf
    reads PostgreSQL's statistics of the column instead (pg_stats)."""
    from django.core.cache import cache
    from django.db import connection as db

    from search import database

    for n in range(1, 41):
        put(n, "Housing for key workers" if n % 2 else "Mentoring founders", body="housing" if n % 4 == 1 else "")
    with db.cursor() as cursor:
        cursor.execute("ANALYZE search_entry")
    cache.delete("search:pg-mce")
    monkeypatch.setattr(database, "ESTIMATE_FROM", 1)
    frequencies, total = database._document_frequencies(["housing", "mentoring", "zeppelin"])
    assert total == 40
    assert frequencies["housing"] == 20 and frequencies["mentoring"] == 20
    assert frequencies["zeppelin"] < 20  # not among the common lexemes: rarer than any listed
    cache.delete("search:pg-mce")
