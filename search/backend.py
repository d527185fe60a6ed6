"""The one search interface: the database by default, Elasticsearch when
ELASTICSEARCH_URL is set. Callers never know which.

search/ is a leaf: it imports no other project app. What it needs comes from
its callers:

- documents to index, as plain dicts `{"kind": "idea", "id": 7, "title": …}`.
  The caller decides what may be found: it sends a document only for an item
  anyone may see, and a removal otherwise;
- the candidates to search within, a queryset of what anyone may see. The
  database backend ranks those rows; Elasticsearch ranks its index and its
  hits are re-read through the candidates, so a stale index never shows an
  item the caller has since hidden;
- for `rebuild`, every document, from a source each app registers with
  `register_source(kind, fn)` (in its AppConfig.ready()), so the
  `search_index --rebuild` command needs no app of ours.

`filters` are equality filters on fields that both the documents and the
candidates' model carry (e.g. {"call_id": 7})."""

from django.conf import settings

from . import database, elastic

_sources = {}


def _backend():
    return elastic if settings.ELASTICSEARCH_URL else database


def name():
    """"elasticsearch" or "database", for /health and the logs."""
    return _backend().NAME


def keeps_index():
    """Whether documents are worth building: the database backend reads live
    rows, so callers skip building documents it would ignore."""
    return _backend().KEEPS_INDEX


def index(doc):
    """Add or replace one document (a dict with "kind" and "id")."""
    _backend().index(doc)


def remove(kind, id):
    """Remove one document; removing one that is not there is not an error."""
    _backend().remove(kind, id)


def search(kind, query, *, candidates, filters=None, limit=20, offset=0):
    """Full-text search: (the page of candidates that match, best first, total)."""
    return _backend().search(kind, query, candidates=candidates, filters=filters, limit=limit, offset=offset)


def similar(kind, text, *, candidates, filters=None, limit=5):
    """Candidates that look like `text` (e.g. an idea being written), best first."""
    return _backend().similar(kind, text, candidates=candidates, filters=filters, limit=limit)


def create():
    """Create the missing indexes with their mappings; the names created."""
    return _backend().create()


def rebuild(kind, docs):
    """Replace the whole index of `kind` with `docs`, never leaving it empty:
    (the new index's name, the number of documents)."""
    return _backend().rebuild(kind, docs)


def health():
    """{"backend": name, "ok": bool, "detail": why not}."""
    return _backend().health()


def register_source(kind, fn):
    """fn() yields every document of `kind` that anyone may find."""
    _sources[kind] = fn


def sources():
    return dict(_sources)
