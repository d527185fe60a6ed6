"""The one search interface. Callers never know which backend answers.

Three backends, chosen by configuration:

- the database, always kept: PostgreSQL full text (a stored, GIN-indexed,
  weighted tsvector; websearch_to_tsquery; pg_trgm for typos and names) or
  SQLite FTS5 (Porter stemmer, prefixes, snippets, vocabulary for typos) —
  search/database.py over the `search_entry` table (search/models.py);
- Elasticsearch (search/elastic.py) when ELASTICSEARCH_URL is set: it answers
  searches, and the database index is kept beside it as the fallback. When it
  cannot be reached, writes still succeed (the change waits in the outbox,
  search/outbox.py) and searches are answered by the database with a notice.

search/ is a leaf: it imports no other project app. What it needs comes from
its callers:

- documents, plain dicts (search/documents.py says which keys), sent after
  the commit that changes an item: a document for an item anyone may find,
  a removal otherwise. The caller decides what is public, with its one
  visibility query;
- for `rebuild` and `check`, every document of a kind, from a source each app
  registers with `register_source(kind, documents, count)` in its
  AppConfig.ready(), so `search_index` needs no app of ours;
- optionally `visible(kind, ids) -> set of ids` when searching: hits are
  re-read through it, so even an index that missed a change never shows an
  item its owner has since hidden.

Filters and facets are on the fields in search.results.FACETS."""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings

from . import database, documents, outbox
from .lazy import elastic as _elastic
from .results import Results

log = logging.getLogger(__name__)

_sources = {}


def uses_elasticsearch():
    return bool(settings.ELASTICSEARCH_URL)


def name():
    """"elasticsearch" or "database", for /health and the logs."""
    return "elasticsearch" if uses_elasticsearch() else database.NAME


# --- writes ---------------------------------------------------------------------


def index(doc):
    """Add or replace one document, in the database index and (when
    configured) in Elasticsearch; if Elasticsearch cannot take it, the item
    waits in the outbox and the write still succeeds."""
    doc = documents.clean(doc)
    database.index(doc)
    if uses_elasticsearch():
        outbox.send(doc["kind"], doc["id"], lambda: _elastic().index(doc))


def index_many(docs):
    """Add or replace many documents: the database index in a few statements
    (search/database.py); Elasticsearch, when configured, one document at a
    time through the outbox, as index() sends them."""
    docs = [documents.clean(doc) for doc in docs]
    if not docs:
        return
    database.index_many(docs)
    if uses_elasticsearch():
        for doc in docs:
            outbox.send(doc["kind"], doc["id"], lambda doc=doc: _elastic().index(doc))


def remove_many(kind, ids):
    """Remove many documents of one kind everywhere."""
    documents.check_kind(kind)
    ids = list(ids)
    if not ids:
        return
    database.remove_many(kind, ids)
    if uses_elasticsearch():
        for pk in ids:
            outbox.send(kind, pk, lambda pk=pk: _elastic().remove(kind, pk))


def remove(kind, id):
    """Remove one document everywhere; removing one that is not there is fine."""
    documents.check_kind(kind)
    database.remove(kind, id)
    if uses_elasticsearch():
        outbox.send(kind, id, lambda: _elastic().remove(kind, id))


# --- reads ----------------------------------------------------------------------


def search(text, *, filters=None, sort="relevance", page=1, per_page=20, facets=True, visible=None):
    """Results (search.results.Results) for what someone typed in the box."""
    filters = documents.clean_filters(filters)
    if uses_elasticsearch():
        try:
            results = _elastic().search(text, filters=filters, sort=sort, page=page, per_page=per_page, facets=facets)
        except _elastic().Unavailable as exc:
            log.warning("Elasticsearch did not answer a search (%s); the database answered", exc)
            results = database.search(text, filters=filters, sort=sort, page=page, per_page=per_page, facets=facets)
            results.notice = " ".join(
                filter(None, ["Search is running in a reduced mode: results may be less complete for a while.", results.notice])
            )
    else:
        results = database.search(text, filters=filters, sort=sort, page=page, per_page=per_page, facets=facets)
    return _recheck(results, visible)


def similar(kind, text, *, filters=None, limit=5, exclude=None):
    """Hits of `kind` that look like `text` (an idea being written), best
    first, only those above the similarity threshold (search/similarity.py)."""
    filters = documents.clean_filters(filters)
    if uses_elasticsearch():
        try:
            return _elastic().similar(kind, text, filters=filters, limit=limit, exclude=exclude)
        except _elastic().Unavailable as exc:
            log.warning("Elasticsearch did not answer a similar-items query (%s)", exc)
    return database.similar(kind, text, filters=filters, limit=limit, exclude=exclude)


def _recheck(results, visible):
    if visible is None or not results.hits:
        return results
    kept = []
    by_kind = {}
    for hit in results.hits:
        by_kind.setdefault(hit.kind, []).append(hit.id)
    allowed = {kind: set(visible(kind, ids)) for kind, ids in by_kind.items()}
    for hit in results.hits:
        if hit.id in allowed[hit.kind]:
            kept.append(hit)
    results.total -= len(results.hits) - len(kept)
    if results.browsable is not None:
        results.browsable -= len(results.hits) - len(kept)
    results.hits = kept
    return results


# --- lifecycle ------------------------------------------------------------------


def register_kind(kind: str) -> None:
    """A kind of document beyond the built-in ones (a kind of contribution
    declared in ideas/kinds.py): the database index keeps it by name."""
    documents.register_kind(kind)


def register_source(kind: str, documents_fn: Callable[[], Iterable[dict]], count_fn: Callable[[], int]) -> None:
    """documents_fn() yields every document of `kind` anyone may find;
    count_fn() says how many there are (for `search_index --check`)."""
    documents.check_kind(kind)
    _sources[kind] = (documents_fn, count_fn)


def sources():
    return dict(_sources)


def register_resync(kind: str, fn: Callable[[Iterable[int]], object]) -> None:
    """fn(ids) brings these items of `kind` in line with their source (a
    document for each one anyone may find, a removal otherwise): what the
    outbox drain runs for a change committed but never indexed."""
    documents.check_kind(kind)
    outbox.register_resync(kind, fn)


def pending(kind, id):
    """Inside a write's transaction: `kind` `id` is to be indexed after the
    commit (search/outbox.py: a crash before then leaves it in the backlog)."""
    documents.check_kind(kind)
    outbox.pending(kind, id)


def synced(kind, ids):
    """The after-commit sync of these items is done."""
    outbox.synced(kind, ids)


def backlog():
    """Index changes not made yet (search/outbox.py): what /health and
    `search_index --check` both report."""
    return outbox.backlog()


def create():
    """Create the Elasticsearch indices that are missing; the names created
    (the database index is made by migrations)."""
    return _elastic().create() if uses_elasticsearch() else []


def rebuild(kind, progress=None):
    """Rebuild `kind` from its source in the database index and, when
    configured, in a new Elasticsearch index swapped in atomically.
    `progress(n)` is called as documents go. Returns {backend: (name, count)}."""
    documents_fn, _count = _sources[kind]
    report = {"database": ("search_entry", database.rebuild(kind, (documents.clean(d) for d in documents_fn()), progress=progress))}
    if uses_elasticsearch():
        report["elasticsearch"] = _elastic().rebuild(kind, (documents.clean(d) for d in documents_fn()), progress=progress)
        outbox.forget(kind)
    return report


def indexed_count(kind):
    """Documents of `kind` in the database index (which every configuration keeps)."""
    return database.count(kind)


def check():
    """{kind: {"source": n, "database": n, "elasticsearch": n or None}}."""
    report = {}
    for kind, (_documents, count_fn) in _sources.items():
        row = {"source": count_fn(), "database": database.count(kind)}
        if uses_elasticsearch():
            try:
                row["elasticsearch"] = _elastic().count(kind)
            except _elastic().Unavailable:
                row["elasticsearch"] = None
        report[kind] = row
    return report


def health():
    """{"backend", "ok", "detail", "backlog"}: ok is False when Elasticsearch
    is configured and does not answer (search then runs on the database)."""
    if not uses_elasticsearch():
        status = {"backend": database.NAME, "ok": True, "detail": "", "backlog": backlog()}
        if status["backlog"]:
            outbox.drain_soon()  # what a process died before indexing
        return status
    status = _elastic().health()
    status["backlog"] = backlog()
    if status["ok"] and status["backlog"]:
        outbox.drain_soon()
    return status


__all__ = ["Results", "index", "remove", "search", "similar", "rebuild", "check", "health", "register_source"]
