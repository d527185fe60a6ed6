"""Elasticsearch backend (ELASTICSEARCH_URL set), through elasticsearch-dsl.

Only public ideas are in the index: a hidden or rejected idea is deleted from
it after the commit that hides it, and queries still filter on visibility."""

from django.conf import settings
from elasticsearch_dsl import Document, Integer, Keyword, Q, Search, Text, connections

from .database import keywords


def index_name():
    return f"{settings.SEARCH_INDEX_PREFIX}-ideas"


class IdeaDocument(Document):
    title = Text(analyzer="english", fields={"raw": Keyword()})
    summary = Text(analyzer="english")
    body = Text(analyzer="english")
    tags = Keyword()
    call_id = Integer()
    mission_id = Integer()
    visibility = Keyword()
    support_count = Integer()

    class Index:
        name = "missioncommons-ideas"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def _connect():
    connections.create_connection(alias="default", hosts=[settings.ELASTICSEARCH_URL], request_timeout=5)
    IdeaDocument._index._name = index_name()


def document_for(idea):
    return IdeaDocument(
        meta={"id": idea.pk},
        title=idea.title,
        summary=idea.summary,
        body=idea.body,
        tags=[t.name for t in idea.tags.all()],
        call_id=idea.call_id,
        mission_id=idea.call.get_parent().pk,
        visibility=idea.visibility,
        support_count=idea.support_count,
    )


def search_body(query, call_id=None):
    must = Q("multi_match", query=query, fields=["title^3", "summary^2", "body"], type="best_fields")
    filters = [Q("term", visibility="published")]
    if call_id is not None:
        filters.append(Q("term", call_id=call_id))
    return Search(index=index_name()).query(Q("bool", must=[must], filter=filters))


def similar_body(call_id, text):
    should = [Q("match", title={"query": " ".join(keywords(text)), "boost": 3}), Q("match", summary=text), Q("match", body=text)]
    filters = [Q("term", visibility="published"), Q("term", call_id=call_id)]
    return Search(index=index_name()).query(Q("bool", should=should, minimum_should_match=1, filter=filters))


def ensure_index():
    _connect()
    IdeaDocument.init(index=index_name())


def index_idea_id(idea_id):
    from ideas.models import Idea

    _connect()
    idea = Idea.objects.select_related("call").filter(pk=idea_id).first()
    if idea is None or not idea.is_public:
        remove_idea_id(idea_id)
        return
    document_for(idea).save(index=index_name(), refresh="wait_for")


def remove_idea_id(idea_id):
    _connect()
    IdeaDocument._get_connection().delete(index=index_name(), id=idea_id, ignore=[404], refresh="wait_for")


def _ideas_in_order(ids):
    from ideas.selectors import public_ideas

    by_id = {idea.pk: idea for idea in public_ideas().filter(pk__in=ids).select_related("call")}
    # Re-checking visibility in the database means a stale index never leaks.
    return [by_id[i] for i in ids if i in by_id]


def search_ideas(query, *, call=None, limit=20, offset=0):
    _connect()
    response = search_body(query, call.pk if call else None)[offset : offset + limit].execute()
    ids = [int(hit.meta.id) for hit in response]
    return _ideas_in_order(ids), response.hits.total.value


def similar_ideas(call, text, limit=5):
    _connect()
    response = similar_body(call.pk, text)[:limit].execute()
    return _ideas_in_order([int(hit.meta.id) for hit in response])
