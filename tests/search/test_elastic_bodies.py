"""The Elasticsearch backend, checked by its mapping and query bodies (no
server runs here; tests/search/test_elastic_live.py runs against one when
ELASTICSEARCH_URL is set). Visibility is not in the bodies: only public
ideas are ever sent to the index, and hits are re-read through the caller's
candidates (tests/search/test_idea_documents.py)."""

import pytest

from ideas.search_documents import document
from search import elastic

from ..factories import IdeaFactory


def test_mapping_has_analysed_text_and_filterable_keywords(settings):
    settings.SEARCH_INDEX_PREFIX = "mc"
    mapping = elastic.IdeaDocument._doc_type.mapping.to_dict()
    props = mapping["properties"]
    assert props["title"]["type"] == "text" and props["title"]["analyzer"] == "english"
    assert props["title"]["fields"]["raw"]["type"] == "keyword"
    assert props["visibility"]["type"] == "keyword"
    assert props["call_id"]["type"] == "integer"
    assert props["tags"]["type"] == "keyword"
    assert elastic.index_name() == "mc-ideas"
    assert elastic.index_body("idea") == {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": mapping,
    }


def test_search_body_filters_on_the_call_only():
    body = elastic.search_body("heat pumps", {"call_id": 7}).to_dict()
    query = body["query"]["bool"]
    assert query["must"][0]["multi_match"] == {
        "query": "heat pumps", "fields": ["title^3", "summary^2", "body"], "type": "best_fields",
    }
    assert query["filter"] == [{"term": {"call_id": 7}}]
    assert "filter" not in elastic.search_body("heat pumps").to_dict()["query"]["bool"]


def test_similar_body_uses_keywords_and_stays_in_the_call():
    body = elastic.similar_body("A community energy scheme for our street", {"call_id": 3}).to_dict()
    query = body["query"]["bool"]
    assert query["minimum_should_match"] == 1
    assert query["filter"] == [{"term": {"call_id": 3}}]
    title = query["should"][0]["match"]["title"]
    assert title["boost"] == 3 and "community energy scheme" in title["query"]


def test_no_visibility_literal_in_the_backend():
    """Visibility is decided by ideas before anything reaches search."""
    source = open(elastic.__file__).read()
    assert '"published"' not in source and "is_public" not in source


@pytest.mark.django_db
def test_an_idea_document_fits_the_mapping(call):
    idea = IdeaFactory(call=call, title="T", summary="S", body="B")
    idea.tags.add("energy")
    doc = document(idea)
    assert doc["kind"] == "idea" and doc["id"] == idea.pk
    source = {k: v for k, v in doc.items() if k not in ("kind", "id")}
    assert set(source) == set(elastic.IdeaDocument._doc_type.mapping.to_dict()["properties"])
    assert source["call_id"] == call.pk
    assert source["mission_id"] == call.get_parent().pk
    assert source["tags"] == ["energy"]
    assert source["visibility"] == "published"


def test_an_unknown_kind_is_refused(settings):
    with pytest.raises(ValueError):
        elastic.alias_name("comment")
