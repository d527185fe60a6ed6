"""The Elasticsearch backend, checked by its mapping, query bodies and the
way it reads responses (no server runs here; tests/search/test_elastic_live.py
runs against one when ELASTICSEARCH_URL is set). The client is the recording
fake of tests/search/fake_elastic.py (the `fake_es` fixture)."""

import json
from datetime import datetime, UTC

import pytest
from elasticsearch import ApiError, BadRequestError, ConnectionTimeout, NotFoundError, TransportError

from search import documents, elastic
from search.results import FACETS, KINDS, MARK_END, MARK_START, Results

from .fake_elastic import api_error

FIELDS = ["title^3", "summary^2", "organisation^2", "author^2", "tags^2", "body"]


def body(text, filters=None, **kwargs):
    search = elastic.search_body(text, filters, **kwargs)
    assert not isinstance(search, Results), search
    return search.to_dict()


def query(text, filters=None):
    return body(text, filters)["query"]["bool"]


def keys(tree):
    """Every key anywhere in a JSON body."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield key
            yield from keys(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from keys(value)


def texts(tree):
    """Every text a multi_match searches for, anywhere in a body."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key == "multi_match":
                yield value["query"]
            else:
                yield from texts(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from texts(value)


def word(text):
    return {"multi_match": {"query": text, "fields": FIELDS, "fuzziness": "AUTO"}}


def phrase(text, **extra):
    return {"multi_match": {"query": text, "fields": FIELDS, "type": "phrase", **extra}}


def exact(text):
    return {"multi_match": {"query": text, "fields": FIELDS}}


# --- mapping and names ----------------------------------------------------------------


def test_mapping_analyses_text_in_english_and_keeps_facets_as_keywords():
    mapping = elastic.mapping()
    props = mapping["properties"]
    for field in ("title", "summary", "body", "tags", "organisation", "author"):
        assert props[field] == {**props[field], "type": "text", "analyzer": "english"}, field
    for field in FACETS:
        assert props[field]["type"] == "keyword", field
    assert props["support_count"]["type"] == "integer"
    assert props["published_at"]["type"] == "date"
    # Shown on the results page, never searched.
    assert props["url"] == {"type": "keyword", "index": False, "doc_values": False}
    assert props["context"] == {"type": "keyword", "index": False, "doc_values": False}
    assert mapping["dynamic"] == "strict"


def test_every_cleaned_document_field_is_mapped():
    doc = documents.clean({"kind": "comment", "id": 3, "title": "t", "url": "/c/3/"})
    assert set(doc) - {"id"} == set(elastic.mapping()["properties"])


def test_one_alias_per_kind_over_versioned_indices(settings):
    settings.SEARCH_INDEX_PREFIX = "mc"
    assert [elastic.alias_name(kind) for kind in KINDS] == ["mc-ideas", "mc-comments", "mc-missions", "mc-calls", "mc-pages"]
    assert elastic.new_index_name("page").startswith("mc-pages-")
    for kind in KINDS:
        assert elastic.index_body(kind) == {
            "settings": {"number_of_shards": 1, "number_of_replicas": 0},
            "mappings": elastic.mapping(),
        }
    with pytest.raises(ValueError):
        elastic.alias_name("user")


# --- search bodies ----------------------------------------------------------------------


def test_each_word_is_a_fuzzy_multi_match_and_the_words_together_a_boosted_phrase():
    q = query("heat pumps")
    assert q["must"] == [word("heat"), word("pumps")]
    assert q["should"] == [phrase("heat pumps", boost=2)]
    assert "must_not" not in q and "filter" not in q


def test_a_quoted_phrase_is_matched_as_a_phrase_never_fuzzily():
    q = query('"air source" heat')
    assert q["must"] == [phrase("air source"), word("heat")]
    assert "fuzziness" not in json.dumps(q["must"][0])


def test_or_needs_one_of_its_terms():
    q = query('solar OR "wind farm" grid')
    assert q["must"] == [
        {"bool": {"should": [word("solar"), phrase("wind farm")], "minimum_should_match": 1}},
        word("grid"),
    ]
    # Only the words every match has are boosted as a phrase.
    assert "should" not in q


def test_exclusions_are_must_not_and_exact():
    q = query('tidal -barrage -"nuclear power"')
    assert q["must"] == [word("tidal")]
    assert q["must_not"] == [exact("barrage"), phrase("nuclear power")]


@pytest.mark.parametrize(
    "text", ['title:x AND (y OR z*', "a^3 ~b [c TO d] {e} \\f /g/", 'OR OR -"', "*:*", "NOT heat || pumps &&"]
)
def test_user_text_never_reaches_elasticsearch_as_query_syntax(text):
    search = elastic.search_body(text)
    if isinstance(search, Results):
        assert search.error  # nothing to look for: a message, not a query
        return
    tree = search.to_dict()
    found = set(keys(tree))
    assert not found & {"query_string", "simple_query_string", "regexp", "wildcard", "prefix"}
    # Every searched text is words the parser kept, nothing else.
    searched = list(texts(tree["query"]))
    assert searched
    for text in searched:
        assert all(part.isalnum() for part in text.split()), text


def test_filters_are_term_filters_and_a_kind_narrows_the_indices(settings):
    settings.SEARCH_INDEX_PREFIX = "mc"
    search = elastic.search_body("bus", {"kind": "comment", "call_id": 7, "status": "submitted"})
    assert search._index == ["mc-comments"]
    assert search.to_dict()["query"]["bool"]["filter"] == [
        {"term": {"kind": "comment"}}, {"term": {"call_id": 7}}, {"term": {"status": "submitted"}}
    ]
    assert elastic.search_body("bus")._index == [f"mc-{kind}s" for kind in (*KINDS, "note")]  # tests/kindapp's too


def test_facets_are_terms_aggregations_and_can_be_left_out():
    assert body("bus")["aggs"] == {field: {"terms": {"field": field, "size": 50}} for field in FACETS}
    assert "aggs" not in body("bus", facets=False)


def test_highlights_mark_matches_with_the_control_characters():
    highlight = body("bus")["highlight"]["fields"]
    assert set(highlight) == {"title", "summary", "body"}
    for field in highlight.values():
        assert field["pre_tags"] == [MARK_START] and field["post_tags"] == [MARK_END]


def test_sorts():
    assert "sort" not in body("bus")  # relevance: by _score
    assert body("bus", sort="newest")["sort"] == [{"published_at": {"order": "desc", "missing": "_last"}}, "_score"]
    assert body("bus", sort="supported")["sort"][0] == {"support_count": {"order": "desc"}}
    assert "sort" not in body("bus", sort="'; DROP")  # an unknown sort is relevance


def test_pages_never_go_past_ten_thousand_hits():
    assert (body("bus", page=3, per_page=20)["from"], body("bus", page=3, per_page=20)["size"]) == (40, 20)
    deep = body("bus", page=10_000, per_page=20)
    assert deep["from"] + deep["size"] == 10_000
    assert body("bus", per_page=10_000)["size"] == 100
    assert body("bus")["track_total_hits"] is True


@pytest.mark.parametrize("text, message", [("", "Type a word"), ("  -gas ", "not only words to leave out")])
def test_nothing_to_look_for_is_a_message_without_a_request(fake_es, text, message):
    results = elastic.search(text)
    assert message in results.error and results.hits == []
    assert fake_es.named("search") == []


def test_a_kind_with_no_index_finds_nothing_without_a_request(fake_es):
    results = elastic.search("bus", filters={"kind": "user"})
    assert (results.hits, results.total, results.error) == ([], 0, "")
    assert results.facets == {field: [] for field in FACETS}
    assert fake_es.named("search") == []


# --- reading responses -------------------------------------------------------------------


def response(*hits, aggregations=None, total=None):
    out = {"hits": {"total": {"value": total if total is not None else len(hits), "relation": "eq"}, "hits": list(hits)}}
    if aggregations is not None:
        out["aggregations"] = aggregations
    return out


def raw(id, score=1.0, highlight=None, **source):
    source = {"kind": "idea", "title": f"Idea {id}", "url": f"/i/{id}/", **source}
    return {"_index": "mc-ideas-1", "_id": str(id), "_score": score, "_source": source, **({"highlight": highlight} if highlight else {})}


def test_a_response_becomes_results_with_escaped_marked_snippets_and_facets(fake_es):
    fake_es.response = response(
        raw(4, 2.5, {"body": [f"the {MARK_START}bus{MARK_END} <script>x</script>", f"night {MARK_START}bus{MARK_END}"]},
            call_id="7", mission_id="2", support_count=3, published_at="2026-02-01T10:00:00+00:00", context="Idea in Transport"),
        raw(9, 1.0, summary="A <b>plain</b> summary with no match in it"),
        aggregations={"kind": {"buckets": [{"key": "idea", "doc_count": 2}]},
                      "call_id": {"buckets": [{"key": "7", "doc_count": 1}]}},
        total=12,
    )
    results = elastic.search("bus", filters={"call_id": 7})
    assert results.backend == "elasticsearch" and results.total == 12
    first, second = results.hits
    assert (first.kind, first.id, first.call_id, first.mission_id, first.support_count) == ("idea", 4, 7, 2, 3)
    assert first.published_at == datetime(2026, 2, 1, 10, tzinfo=UTC)
    assert first.context == "Idea in Transport" and first.score == 2.5
    assert first.snippet == "the <mark>bus</mark> &lt;script&gt;x&lt;/script&gt; … night <mark>bus</mark>"
    assert second.snippet == "A &lt;b&gt;plain&lt;/b&gt; summary with no match in it"
    assert results.facets == {"kind": [("idea", 2)], "call_id": [(7, 1)]}
    (request,) = fake_es.named("search")
    # Every kind's alias, a registered kind of contribution's (tests/kindapp) included.
    assert request["index"] == ["mc-ideas", "mc-comments", "mc-missions", "mc-calls", "mc-pages", "mc-notes"]
    assert request["body"]["query"]["bool"]["filter"] == [{"term": {"call_id": 7}}]


def test_too_many_terms_are_searched_with_a_notice(fake_es):
    fake_es.response = response()
    results = elastic.search(" ".join(f"w{n}" for n in range(20)))
    assert "first 12" in results.notice
    assert len(fake_es.named("search")[0]["body"]["query"]["bool"]["must"]) == 12


# --- when Elasticsearch cannot serve -------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        ConnectionTimeout("timed out"),
        TransportError("connection reset"),
        api_error(ApiError, 503, "unavailable_shards_exception"),
        api_error(ApiError, 429, "es_rejected_execution_exception"),
        api_error(NotFoundError, 404, "index_not_found_exception"),
        api_error(BadRequestError, 400, "search_phase_execution_exception"),
    ],
    ids=["timeout", "transport", "503", "429", "no index", "refused body"],
)
def test_a_search_elasticsearch_cannot_answer_is_unavailable(fake_es, monkeypatch, error):
    def fail(**kwargs):
        raise error

    monkeypatch.setattr(fake_es, "search", fail)
    with pytest.raises(elastic.Unavailable):
        elastic.search("bus")
    with pytest.raises(elastic.Unavailable):
        elastic.similar("idea", "bus lanes for the ring road")


def test_writes_to_an_unreachable_cluster_or_a_missing_index_are_unavailable(fake_es):
    doc = documents.clean({"kind": "idea", "id": 1, "title": "t", "url": "/i/1/"})
    with pytest.raises(elastic.Unavailable):  # no index yet: require_alias refuses to guess one
        elastic.index(doc)
    assert fake_es.named("index")[0]["require_alias"] is True
    with pytest.raises(elastic.Unavailable):
        elastic.remove("idea", 1)
    elastic.create()
    fake_es.down = True
    with pytest.raises(elastic.Unavailable):
        elastic.index(doc)
    with pytest.raises(elastic.Unavailable):
        elastic.remove("idea", 1)


def test_a_refused_document_is_a_bug_not_an_outage(fake_es, monkeypatch):
    elastic.create()

    def refuse(**kwargs):
        raise api_error(BadRequestError, 400, "strict_dynamic_mapping_exception")

    monkeypatch.setattr(fake_es, "index", refuse)
    with pytest.raises(BadRequestError):
        elastic.index(documents.clean({"kind": "idea", "id": 1, "title": "t", "url": "/i/1/"}))


def test_index_remove_and_count(fake_es):
    elastic.create()
    doc = documents.clean({"kind": "idea", "id": 5, "title": "Bus lanes", "url": "/i/5/", "tags": ["transport"]})
    elastic.index(doc)
    (call,) = fake_es.named("index")
    assert call["index"] == "mc-ideas" and call["id"] == 5 and call["refresh"] is False
    assert call["document"] == {k: v for k, v in doc.items() if k != "id"}
    assert elastic.count("idea") == 1
    elastic.remove("idea", 5)
    elastic.remove("idea", 5)  # not there: fine
    assert elastic.count("idea") == 0


def test_count_of_a_missing_index_is_zero_and_of_a_down_cluster_unavailable(fake_es):
    assert elastic.count("idea") == 0
    fake_es.down = True
    with pytest.raises(elastic.Unavailable):
        elastic.count("idea")


def test_health(fake_es):
    assert elastic.health() == {"backend": "elasticsearch", "ok": True, "detail": ""}
    fake_es.down = True
    assert elastic.health() == {"backend": "elasticsearch", "ok": False, "detail": "no answer"}


# --- similar items ----------------------------------------------------------------------------


def test_similar_body_is_more_like_this_in_the_kind_without_the_excluded_item(settings):
    settings.SEARCH_INDEX_PREFIX = "mc"
    search = elastic.similar_body("idea", "Mentoring for young founders", {"call_id": 3}, exclude=8)
    assert search._index == ["mc-ideas"]
    tree = search.to_dict()
    q = tree["query"]["bool"]
    assert q["must"] == [{"more_like_this": {"like": "Mentoring for young founders", "fields": ["title", "summary", "body"],
                                             "min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": 25}}]
    assert q["must_not"] == [{"ids": {"values": ["8"]}}]
    assert q["filter"] == [{"term": {"call_id": 3}}]
    # How rare each keyword is in the whole kind, for the threshold.
    counted = tree["aggs"]["all"]
    assert counted["global"] == {}
    assert set(counted["aggs"]["df"]["filters"]["filters"]) == {"mentoring", "young", "founders"}
    assert "must_not" not in elastic.similar_body("idea", "Mentoring").to_dict()["query"]["bool"]


def test_similar_keeps_only_hits_above_the_shared_threshold(fake_es):
    fake_es.response = response(
        raw(1, 9.0, summary="Pair new founders with a mentor", title="Mentoring for founders"),
        raw(2, 3.0, summary="Stop shop theft in the town centre", title="Safer high street for young people"),
        aggregations={"all": {"doc_count": 50, "df": {"buckets": {
            "mentoring": {"doc_count": 2}, "young": {"doc_count": 30}, "founders": {"doc_count": 3}}}}},
    )
    hits = elastic.similar("idea", "Mentoring for young founders", filters={"call_id": 3}, limit=5, exclude=8)
    assert [hit.id for hit in hits] == [1]
    assert 0 < hits[0].score <= 1
    assert elastic.similar("idea", "   ") == []
