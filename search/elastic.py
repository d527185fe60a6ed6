"""Elasticsearch backend (ELASTICSEARCH_URL set), through elasticsearch-dsl.

The index holds only what callers send: they send a document for an item
anyone may see and a removal otherwise, after the commit that changes it.
Hits are re-read through the caller's candidates (its visibility query), so
a stale index never shows a hidden item.

Each kind's index name, `<SEARCH_INDEX_PREFIX>-ideas`, is an alias over a
versioned index (`…-ideas-<UTC timestamp>`). `search_index --create` makes
the first one; `search_index --rebuild` fills a new one and moves the alias
in one atomic request, so search is never empty while it runs. An item
changed during a rebuild is written to the old index and may be stale in the
new one until its next change or the next rebuild."""

from datetime import datetime, timezone

from django.conf import settings
from elasticsearch import Elasticsearch
from elasticsearch_dsl import Document, Integer, Keyword, Q, Search, Text

from .database import keywords

NAME = "elasticsearch"
KEEPS_INDEX = True
BULK_CHUNK = 500


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


KINDS = {"idea": IdeaDocument}

_clients = {}


def client():
    """One client per URL (settings may change under tests)."""
    url = settings.ELASTICSEARCH_URL
    if url not in _clients:
        _clients[url] = Elasticsearch(url, request_timeout=5)
    return _clients[url]


def _document_class(kind):
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"no Elasticsearch mapping for documents of kind {kind!r}") from None


def alias_name(kind="idea"):
    """The name searches and writes use: an alias over the current index."""
    _document_class(kind)
    return f"{settings.SEARCH_INDEX_PREFIX}-{kind}s"


def index_name():
    return alias_name("idea")


def new_index_name(kind):
    return f"{alias_name(kind)}-{datetime.now(timezone.utc):%Y%m%d%H%M%S%f}"


def index_body(kind):
    """{"settings": …, "mappings": …} for indices.create."""
    return _document_class(kind)._index.clone(alias_name(kind)).to_dict()


def _filters(filters):
    return [Q("term", **{field: value}) for field, value in (filters or {}).items()]


def search_body(query, filters=None, kind="idea"):
    must = Q("multi_match", query=query, fields=["title^3", "summary^2", "body"], type="best_fields")
    return Search(index=alias_name(kind)).query(Q("bool", must=[must], filter=_filters(filters)))


def similar_body(text, filters=None, kind="idea"):
    should = [Q("match", title={"query": " ".join(keywords(text)), "boost": 3}), Q("match", summary=text), Q("match", body=text)]
    return Search(index=alias_name(kind)).query(Q("bool", should=should, minimum_should_match=1, filter=_filters(filters)))


def _split(doc):
    source = dict(doc)
    kind, id = source.pop("kind"), source.pop("id")
    _document_class(kind)
    return kind, id, source


# --- writes -------------------------------------------------------------------


def index(doc):
    kind, id, source = _split(doc)
    client().index(index=alias_name(kind), id=id, document=source, refresh="wait_for")


def remove(kind, id):
    client().options(ignore_status=404).delete(index=alias_name(kind), id=id, refresh="wait_for")


def create():
    """Create each kind's first versioned index behind its alias, unless the
    name exists already (as an alias, or as an index from before aliases)."""
    es = client()
    created = []
    for kind in KINDS:
        alias = alias_name(kind)
        if es.indices.exists(index=alias):
            continue
        name = new_index_name(kind)
        es.indices.create(index=name, aliases={alias: {}}, **index_body(kind))
        created.append(name)
    return created


def _bulk(es, name, docs, kind):
    count, operations = 0, []

    def flush():
        response = es.bulk(operations=operations)
        if response["errors"]:
            failed = next(item for item in response["items"] if "error" in next(iter(item.values())))
            raise RuntimeError(f"Elasticsearch refused a document while filling {name}: {failed}")
        operations.clear()

    for doc in docs:
        doc_kind, id, source = _split(doc)
        if doc_kind != kind:
            raise ValueError(f"a {doc_kind!r} document in the source of {kind!r} documents")
        operations += [{"index": {"_index": name, "_id": id}}, source]
        count += 1
        if len(operations) >= 2 * BULK_CHUNK:
            flush()
    if operations:
        flush()
    return count


def rebuild(kind, docs):
    """Fill a new versioned index, then point the alias at it and drop the
    old ones in one update_aliases request. If filling fails, the new index
    is deleted and the alias still points at the old one."""
    es = client()
    alias = alias_name(kind)
    name = new_index_name(kind)
    es.indices.create(index=name, **index_body(kind))
    try:
        count = _bulk(es, name, docs, kind)
        es.indices.refresh(index=name)
    except BaseException:
        es.indices.delete(index=name, ignore_unavailable=True)
        raise
    actions = [{"add": {"index": name, "alias": alias}}]
    old = []
    if es.indices.exists_alias(name=alias):
        old = [index for index in es.indices.get_alias(name=alias) if index != name]
        actions += [{"remove": {"index": index, "alias": alias}} for index in old]
    elif es.indices.exists(index=alias):
        # A concrete index by the alias's name, created before aliases: ES
        # deletes it in the same atomic request that adds the alias.
        actions.append({"remove_index": {"index": alias}})
    es.indices.update_aliases(actions=actions)
    for index in old:
        es.indices.delete(index=index, ignore_unavailable=True)
    return name, count


# --- reads ----------------------------------------------------------------------


def _in_order(candidates, filters, ids):
    by_id = {item.pk: item for item in candidates.filter(**(filters or {})).filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def search(kind, query, *, candidates, filters=None, limit=20, offset=0):
    response = search_body(query, filters, kind)[offset : offset + limit].using(client()).execute()
    ids = [int(hit.meta.id) for hit in response]
    return _in_order(candidates, filters, ids), response.hits.total.value


def similar(kind, text, *, candidates, filters=None, limit=5):
    response = similar_body(text, filters, kind)[:limit].using(client()).execute()
    return _in_order(candidates, filters, [int(hit.meta.id) for hit in response])


def health():
    try:
        ok = client().options(request_timeout=2, max_retries=0).ping()
        detail = "" if ok else "no answer"
    except Exception as exc:  # any transport error means search is not answering
        ok, detail = False, exc.__class__.__name__
    return {"backend": NAME, "ok": bool(ok), "detail": detail}
