"""The Elasticsearch backend, checked by its mapping and query bodies (no
server runs here; tests/search/test_elastic_live.py runs against one when
ELASTICSEARCH_URL is set)."""

import pytest

from search import elastic


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


def test_search_body_filters_on_published_and_call():
    body = elastic.search_body("heat pumps", call_id=7).to_dict()
    query = body["query"]["bool"]
    assert query["must"][0]["multi_match"] == {
        "query": "heat pumps", "fields": ["title^3", "summary^2", "body"], "type": "best_fields",
    }
    assert {"term": {"visibility": "published"}} in query["filter"]
    assert {"term": {"call_id": 7}} in query["filter"]


def test_similar_body_uses_keywords_and_stays_in_the_call():
    body = elastic.similar_body(3, "A community energy scheme for our street").to_dict()
    query = body["query"]["bool"]
    assert query["minimum_should_match"] == 1
    assert {"term": {"call_id": 3}} in query["filter"]
    assert {"term": {"visibility": "published"}} in query["filter"]
    title = query["should"][0]["match"]["title"]
    assert title["boost"] == 3 and "community energy scheme" in title["query"]


@pytest.mark.django_db
def test_document_for_an_idea(call):
    from ..factories import IdeaFactory

    idea = IdeaFactory(call=call, title="T", summary="S", body="B")
    idea.tags.add("energy")
    doc = elastic.document_for(idea).to_dict(include_meta=True)
    assert doc["_id"] == idea.pk
    assert doc["_source"]["call_id"] == call.pk
    assert doc["_source"]["mission_id"] == call.get_parent().pk
    assert doc["_source"]["tags"] == ["energy"]
    assert doc["_source"]["visibility"] == "published"
