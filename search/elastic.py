"""Elasticsearch backend (ELASTICSEARCH_URL set), through elasticsearch-dsl.

search/backend.py is its only caller: it keeps the database index beside this
one, sends every document here after the commit that changes the item, and
answers from the database when this module raises `Unavailable`.

One index per kind, behind an alias. Each kind (search.results.KINDS, and
each kind of contribution registered in ideas/kinds.py) has its
alias, `<SEARCH_INDEX_PREFIX>-ideas`, `…-comments`, …, over a versioned index
(`…-ideas-<UTC timestamp>`), all with the same mapping, which has a `kind`
keyword field. Why not one index for every kind: a rebuild is per kind (each
app registers its own source), and with one index per kind a rebuild fills a
new index and swaps that kind's alias in one atomic request, so search is
never empty or half-filled while it runs; in a shared index a rebuild of ideas
would have to delete and re-add ideas in place. A search across kinds names
every alias in one request, so scoring, sorting, paging and the facet counts
(the `kind` facet included) are computed over all of them at once.

`search_index --create` makes the first index of each kind; `search_index
--rebuild` fills a new one and moves the alias. Writes go to the alias with
`require_alias`, so a write before the index exists fails (and waits in the
outbox) instead of making an index with a guessed mapping. An item changed
during a rebuild is written to the old index and may be stale in the new one
until the outbox or its next change catches up.

User text never reaches Elasticsearch as query syntax: it is parsed by
search.query.parse and each word or phrase becomes its own multi_match
query (never query_string or simple_query_string). Visibility is not in
these bodies: callers only ever send documents of items anyone may see, and
backend.search re-reads hits through the caller's visibility check."""

import logging
from contextlib import contextmanager
from datetime import datetime, UTC

from django.conf import settings
from django.utils.dateparse import parse_datetime
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.dsl import Date, Document, Integer, Keyword, MetaField, Q, Search, Text

from . import documents, similarity
from .query import parse
from .results import FACETS, MARK_END, MARK_START, SORTS, Hit, Results, plain_snippet, snippet_html

log = logging.getLogger(__name__)

NAME = "elasticsearch"
BULK_CHUNK = 500
MAX_WINDOW = 10_000  # Elasticsearch's index.max_result_window: from + size never goes past it
FACET_SIZE = 50
SIMILAR_CANDIDATES = 40  # more_like_this finds these; similarity.passes() keeps the close ones (as the database does)
SIMILAR_TEXT_FIELDS = ("title", "summary", "tags", "organisation")  # what the database compares, too
# Searched fields and their weights: a match in the title counts most, then
# the summary and names, then the body.
TEXT_FIELDS = ["title^3", "summary^2", "organisation^2", "author^2", "tags^2", "body"]
SIMILAR_FIELDS = ["title", "summary", "body"]
HIGHLIGHT_FIELDS = ("title", "summary", "body")
PHRASE_BOOST = 2
# Writes are visible to searches within the index's refresh interval (1 s by
# default); waiting for it would hold every writer's request for up to a
# second. Tests and scripts that must search at once call refresh().
WRITE_REFRESH = False
# Seconds to wait. A writer's request waits for its index write after the
# commit, so a hung cluster must cost it little: the change then waits in
# the outbox. Searches fall back to the database after SEARCH_TIMEOUT; a
# rebuild's bulk chunks may take longer.
WRITE_TIMEOUT = 2
SEARCH_TIMEOUT = 5
BULK_TIMEOUT = 120

# The same words as the database backend's (search/database.py).
EMPTY_QUERY = "Type a word or phrase to search for."
ONLY_EXCLUSIONS = "Type a word or phrase to look for, not only words to leave out."


class Unavailable(Exception):
    """Elasticsearch did not answer (connection refused, timeout, 5xx, 429)
    or its index is missing: the database answers instead, and writes wait
    in the outbox."""


class SearchDocument(Document):
    """The one mapping every kind's index has. Text fields use the built-in
    english analyzer (stemming and stop words: "Connections" finds
    "connection"); facet fields are keywords, ids included (term lookups on
    keywords are what Elasticsearch recommends for identifiers)."""

    kind = Keyword()
    title = Text(analyzer="english")
    summary = Text(analyzer="english")
    body = Text(analyzer="english")
    tags = Text(analyzer="english", fields={"raw": Keyword()})
    organisation = Text(analyzer="english", fields={"raw": Keyword(ignore_above=200)})
    author = Text(analyzer="english", fields={"raw": Keyword(ignore_above=200)})
    status = Keyword()
    sector = Keyword()
    org_type = Keyword()
    mission_id = Keyword()
    call_id = Keyword()
    support_count = Integer()
    published_at = Date()
    # Stored in _source for the results page, never searched.
    url = Keyword(index=False, doc_values=False)
    context = Keyword(index=False, doc_values=False)

    class Meta:
        # A field no document should have is refused, not silently mapped.
        dynamic = MetaField("strict")

    class Index:
        name = "missioncommons-search"  # replaced by alias_name(kind) in index_body
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


_clients = {}


def client():
    """One client per URL (settings may change under tests)."""
    url = settings.ELASTICSEARCH_URL
    if url not in _clients:
        # One retry on another node for a refused connection, none after a
        # timeout: a slow cluster is not asked twice while someone waits.
        _clients[url] = Elasticsearch(url, request_timeout=SEARCH_TIMEOUT, max_retries=1, retry_on_timeout=False)
    return _clients[url]


def _index_missing(exc):
    return isinstance(exc, NotFoundError) and "index_not_found" in str(exc.body or exc.message)


@contextmanager
def _answering(what):
    """Turn every sign that Elasticsearch cannot serve into Unavailable; a
    4xx that means a bug in this module (a bad body, a refused document)
    propagates."""
    try:
        yield
    except TransportError as exc:  # ConnectionError, ConnectionTimeout, SerializationError…
        raise Unavailable(f"{what}: {exc.__class__.__name__}") from exc
    except ApiError as exc:
        if exc.meta.status >= 500 or exc.meta.status == 429 or _index_missing(exc):
            raise Unavailable(f"{what}: {exc.meta.status} {exc.message}") from exc
        raise


# --- names and bodies -------------------------------------------------------------


def alias_name(kind="idea"):
    """The name searches and writes use: an alias over the current index."""
    documents.check_kind(kind)
    return f"{settings.SEARCH_INDEX_PREFIX}-{kind}s"


def aliases(kinds=None):
    return [alias_name(kind) for kind in (documents.all_kinds() if kinds is None else kinds)]


def new_index_name(kind):
    return f"{alias_name(kind)}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"


def mapping():
    return SearchDocument._doc_type.mapping.to_dict()


def index_body(kind):
    """{"settings": …, "mappings": …} for indices.create."""
    return SearchDocument._index.clone(alias_name(kind)).to_dict()


def _source(doc):
    """(kind, id, _source) of a cleaned document: the id is the _id."""
    source = dict(doc)
    kind, id = source["kind"], source.pop("id")
    documents.check_kind(kind)
    return kind, id, source


def _term(term, fuzzy=True):
    """One word or phrase of the search box as a query of its own."""
    if term.phrase:
        return Q("multi_match", query=term.text, fields=TEXT_FIELDS, type="phrase")
    if fuzzy:
        return Q("multi_match", query=term.text, fields=TEXT_FIELDS, fuzziness="AUTO")
    return Q("multi_match", query=term.text, fields=TEXT_FIELDS)


def _filters(filters):
    return [Q("term", **{field: value}) for field, value in (filters or {}).items()]


def text_query(parsed, filters=None):
    """The bool query for a parsed search box (search.query.Query):

    - each clause must match; a clause of one term is that term's query, a
      clause of terms joined by OR is a bool should needing one of them;
    - a word forgives typos (fuzziness AUTO: one edit from 3 letters, two
      from 6); a "phrase" is matched as a phrase, never fuzzily;
    - an -exclusion is must_not, matched exactly (a fuzzy "-gas" would also
      drop ideas about "has" or "gap");
    - the positive text together (the clauses without OR) as one phrase is
      an optional should clause, so an idea with the words side by side
      beats one with them scattered."""
    must = []
    for clause in parsed.clauses:
        if len(clause) == 1:
            must.append(_term(clause[0]))
        else:
            must.append(Q("bool", should=[_term(term) for term in clause], minimum_should_match=1))
    should = []
    words = " ".join(clause[0].text for clause in parsed.clauses if len(clause) == 1)
    if len(words.split()) > 1:
        should.append(Q("multi_match", query=words, fields=TEXT_FIELDS, type="phrase", boost=PHRASE_BOOST))
    must_not = [_term(term, fuzzy=False) for term in parsed.excluded]
    return Q("bool", must=must, should=should, must_not=must_not, filter=_filters(filters))


def _sort(search, sort):
    if sort == "newest":
        return search.sort({"published_at": {"order": "desc", "missing": "_last"}}, "_score")
    if sort == "supported":
        return search.sort({"support_count": {"order": "desc"}}, {"published_at": {"order": "desc", "missing": "_last"}})
    return search  # relevance: Elasticsearch's default, by _score


def search_body(text, filters=None, sort="relevance", page=1, per_page=20, facets=True):
    """The elasticsearch-dsl Search for a search box's text, or the Results
    to show without asking (nothing to search for, or a kind with no index)."""
    parsed = parse(text)
    if parsed.empty:
        return Results(backend=NAME, error=ONLY_EXCLUSIONS if parsed.excluded else EMPTY_QUERY)
    kind = (filters or {}).get("kind")
    if kind and kind not in documents.all_kinds():  # a kind nothing is indexed as: nothing to find, no request
        return Results(backend=NAME, facets={field: [] for field in FACETS} if facets else {})
    search = Search(index=aliases([kind] if kind else None)).query(text_query(parsed, filters))
    search = _sort(search, sort if sort in SORTS else "relevance")
    page, per_page = max(1, int(page)), max(1, min(int(per_page), 100))
    # Never past the 10,000th hit (as the database backend): a deeper page
    # shows the last one that can be reached.
    start = min((page - 1) * per_page, MAX_WINDOW - per_page)
    search = search.extra(from_=start, size=per_page, track_total_hits=True)
    search = search.source(excludes=["body"])
    search = search.highlight(
        *HIGHLIGHT_FIELDS, pre_tags=[MARK_START], post_tags=[MARK_END], fragment_size=160, number_of_fragments=2
    )
    if facets:
        for field in FACETS:
            search.aggs.bucket(field, "terms", field=field, size=FACET_SIZE)
    return search


def similar_body(kind, text, filters=None, exclude=None):
    """more_like_this over the title, summary and body of `kind`'s index.
    min_doc_freq 1: a call may hold six ideas, and the default (5) would
    drop every word of them; the threshold (search/similarity.py) then
    removes what is merely related. A `global` aggregation counts, in the
    same request, how many documents of the kind hold each of the draft's
    keywords, so the threshold weighs rare words as it does on the
    database."""
    mlt = Q("more_like_this", fields=SIMILAR_FIELDS, like=text, min_term_freq=1, min_doc_freq=1, max_query_terms=25)
    must_not = [Q("ids", values=[str(exclude)])] if exclude is not None else []
    query = Q("bool", must=[mlt], must_not=must_not, filter=_filters(filters))
    search = Search(index=alias_name(kind)).query(query).extra(size=SIMILAR_CANDIDATES)
    search = search.source(includes=["kind", "title", "url", "context", "summary", "status", "organisation", "tags",
                                      "support_count", "mission_id", "call_id", "published_at"])
    words = similarity.keywords(text)
    if words:
        frequencies = {word: Q("multi_match", query=word, fields=list(SIMILAR_FIELDS) + ["tags", "organisation"])
                       for word in words}
        search.aggs.bucket("all", "global").bucket("df", "filters", filters=frequencies)
    return search


# --- hits -------------------------------------------------------------------------


def _facet_key(field, key):
    if field.endswith("_id"):
        try:
            return int(key)
        except (TypeError, ValueError):
            return key
    return key


def _date(value):
    if not value or isinstance(value, datetime):
        return value or None
    return parse_datetime(value)


def _id(value):
    return None if value in (None, "") else int(value)


def _hit(raw, snippet=""):
    source = raw.get("_source", {})
    return Hit(
        kind=source.get("kind", ""),
        id=int(raw["_id"]),
        title=source.get("title", ""),
        url=source.get("url", ""),
        context=source.get("context", ""),
        snippet=snippet,
        status=source.get("status", ""),
        organisation=source.get("organisation", ""),
        support_count=int(source.get("support_count") or 0),
        mission_id=_id(source.get("mission_id")),
        call_id=_id(source.get("call_id")),
        published_at=_date(source.get("published_at")),
        score=float(raw.get("_score") or 0.0),
    )


def _snippet(raw):
    """The highlighted fragments of the summary and body, escaped with the
    matches marked; else the start of the summary."""
    highlight = raw.get("highlight", {})
    fragments = highlight.get("summary", []) + highlight.get("body", [])
    if fragments:
        return snippet_html(" … ".join(fragments))
    return plain_snippet(raw.get("_source", {}).get("summary", ""))


def results(response, notice=""):
    """search.results.Results from a search response body (a dict)."""
    hits = [_hit(raw, _snippet(raw)) for raw in response["hits"]["hits"]]
    total = response["hits"]["total"]
    facets = {}
    for field in FACETS:
        if field in response.get("aggregations", {}):
            buckets = response["aggregations"][field]["buckets"]
            facets[field] = [(_facet_key(field, b["key"]), b["doc_count"]) for b in buckets]
    return Results(
        hits=hits,
        total=total["value"] if isinstance(total, dict) else int(total),
        facets=facets,
        backend=NAME,
        notice=notice,
    )


# --- writes -------------------------------------------------------------------------


def index(doc):
    """Add or replace one (cleaned) document in its kind's index."""
    kind, id, source = _source(doc)
    with _answering(f"indexing {kind} {id}"):
        client().options(request_timeout=WRITE_TIMEOUT).index(
            index=alias_name(kind), id=id, document=source, refresh=WRITE_REFRESH, require_alias=True
        )


def remove(kind, id):
    """Remove one document; removing one that is not there is fine."""
    try:
        with _answering(f"removing {kind} {id}"):
            client().options(request_timeout=WRITE_TIMEOUT).delete(index=alias_name(kind), id=id, refresh=WRITE_REFRESH)
    except NotFoundError:  # the document was not there; a missing index is Unavailable
        pass


def refresh(kinds=None):
    """Make every write so far visible to searches (tests, scripts)."""
    with _answering("refreshing"):
        client().indices.refresh(index=",".join(aliases(kinds)))


def create():
    """Create each kind's first versioned index behind its alias, unless the
    name exists already (as an alias, or as an index from before aliases).
    Returns the names created."""
    es = client()
    created = []
    with _answering("creating indices"):
        for kind in documents.all_kinds():
            alias = alias_name(kind)
            if es.indices.exists(index=alias):
                continue
            name = new_index_name(kind)
            es.indices.create(index=name, aliases={alias: {}}, **index_body(kind))
            created.append(name)
    return created


def _bulk(es, name, docs, kind, progress):
    count, operations = 0, []

    def flush():
        response = es.options(request_timeout=BULK_TIMEOUT).bulk(operations=operations)
        if response["errors"]:
            failed = next(item for item in response["items"] if "error" in next(iter(item.values())))
            raise RuntimeError(f"Elasticsearch refused a document while filling {name}: {failed}")
        operations.clear()
        if progress is not None:
            progress(count)

    for doc in docs:
        doc_kind, id, source = _source(doc)
        if doc_kind != kind:
            raise ValueError(f"a {doc_kind!r} document in the source of {kind!r} documents")
        operations += [{"index": {"_index": name, "_id": id}}, source]
        count += 1
        if len(operations) >= 2 * BULK_CHUNK:
            flush()
    if operations:
        flush()
    return count


def rebuild(kind, docs, progress=None):
    """Fill a new versioned index with `docs` (cleaned documents of `kind`),
    then point the alias at it and drop the old ones in one update_aliases
    request. If filling fails, the new index is deleted and the alias still
    points at the old one. `progress(n)` gets the number of documents sent so
    far after each bulk chunk. Returns (new index name, count)."""
    es = client()
    alias = alias_name(kind)
    name = new_index_name(kind)
    with _answering(f"rebuilding {alias}"):
        es.indices.create(index=name, **index_body(kind))
        try:
            count = _bulk(es, name, docs, kind, progress)
            es.indices.refresh(index=name)
        except BaseException:
            try:
                es.indices.delete(index=name, ignore_unavailable=True)
            except (TransportError, ApiError):
                log.warning("could not delete the half-filled index %s", name)
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


# --- reads ----------------------------------------------------------------------------


def _execute(search, what):
    """The response body (a dict) of an elasticsearch-dsl Search."""
    try:
        with _answering(what):
            return client().search(index=search._index, body=search.to_dict()).body
    except ApiError as exc:
        # A 4xx: a body this module built was refused. Still never a server
        # error for the person searching: the database answers instead.
        log.error("Elasticsearch refused the body for %s: %s", what, exc)
        raise Unavailable(f"{what}: refused ({exc.meta.status})") from exc


def search(text, *, filters=None, sort="relevance", page=1, per_page=20, facets=True):
    """search.results.Results for what someone typed in the box."""
    body = search_body(text, filters, sort, page, per_page, facets)
    if isinstance(body, Results):
        return body
    notes = list(parse(text).notes)
    response = _execute(body, "searching")
    return results(response, notice=" ".join(notes))


def similar(kind, text, *, filters=None, limit=5, exclude=None):
    """Hits of `kind` that look like `text`, best first, only those above the
    threshold the database backend applies too (search/similarity.py)."""
    words = similarity.keywords(text)
    if not words:
        return []
    response = _execute(similar_body(kind, text, filters, exclude), "similar items")
    counts = response.get("aggregations", {}).get("all", {})
    frequencies = {word: bucket["doc_count"] for word, bucket in counts.get("df", {}).get("buckets", {}).items()}
    total = counts.get("doc_count", 0)
    hits = []
    for raw in response["hits"]["hits"]:
        source = raw.get("_source", {})
        tags = source.get("tags") or []
        hit_text = " ".join(
            [source.get("title", ""), source.get("summary", ""), " ".join(tags), source.get("organisation", "")]
        )
        if not similarity.passes(text, hit_text, frequencies, total):
            continue
        hit = _hit(raw, plain_snippet(source.get("summary", "")))
        hit.score = similarity.score(words, similarity.stems(hit_text), frequencies, total)
        hits.append(hit)
    hits.sort(key=lambda h: (-h.score, -h.support_count, -h.id))
    return hits[:limit]


def count(kind):
    """Documents in `kind`'s index (0 when it does not exist yet)."""
    try:
        with _answering(f"counting {kind}"):
            return client().count(index=alias_name(kind))["count"]
    except Unavailable as exc:
        if isinstance(exc.__cause__, NotFoundError):
            return 0
        raise


def health():
    """{"backend", "ok", "detail"}: ok when the cluster answers a ping."""
    try:
        ok = client().options(request_timeout=2, max_retries=0).ping()
        detail = "" if ok else "no answer"
    except Exception as exc:  # any transport error means search is not answering
        ok, detail = False, exc.__class__.__name__
    return {"backend": NAME, "ok": bool(ok), "detail": detail}
