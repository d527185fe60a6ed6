"""What a document is, written once for every backend.

A document is a plain dict its owner app builds from an item anyone may see:

    {"kind": "idea", "id": 7, "title": "…", "url": "/missions/…/ideas/7/",
     "summary": "…", "body": "…", "tags": ["energy"], "organisation": "…",
     "author": "…", "status": "submitted", "sector": "Energy",
     "org_type": "", "mission_id": 3, "call_id": 5, "support_count": 12,
     "published_at": datetime, "context": "Idea in Warm homes"}

Only kind, id, title and url are required. `clean` fills the rest and
refuses anything else, so a typo in an app's builder fails its tests rather
than silently indexing nothing."""

from .results import FACETS, KINDS

FIELDS = {
    "title": "",
    "url": "",
    "summary": "",
    "body": "",
    "tags": (),
    "organisation": "",
    "author": "",
    "status": "",
    "sector": "",
    "org_type": "",
    "mission_id": None,
    "call_id": None,
    "support_count": 0,
    "published_at": None,
    "context": "",
}
LIMITS = {"organisation": 200, "author": 200, "status": 32, "sector": 100, "org_type": 64, "url": 500, "context": 300}


# Kinds of contribution an app above registered (ideas/kinds.py), beside
# the built-in KINDS: the database index takes any kind by name.
_registered = []


def register_kind(kind):
    if kind not in KINDS and kind not in _registered:
        _registered.append(kind)


def all_kinds():
    """The built-in kinds and those registered, in that order: what gets an
    index, and what a search across kinds covers."""
    return (*KINDS, *_registered)


def check_kind(kind):
    if kind not in KINDS and kind not in _registered:
        raise ValueError(f"search documents are of kinds {', '.join((*KINDS, *_registered))}, not {kind!r}")


def clean(doc):
    """The document with every field, or ValueError naming what is wrong."""
    doc = dict(doc)
    kind, id = doc.pop("kind", None), doc.pop("id", None)
    check_kind(kind)
    if not isinstance(id, int):
        raise ValueError(f"a search document's id is an integer, not {id!r}")
    unknown = set(doc) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown search document fields: {', '.join(sorted(unknown))}")
    if not doc.get("title") or not doc.get("url"):
        raise ValueError("a search document needs a title and a url")
    out = {"kind": kind, "id": id}
    for key, default in FIELDS.items():
        value = doc.get(key, default)
        if value is None:
            value = default
        if key == "tags":
            value = [str(tag) for tag in value]
        elif isinstance(default, str):
            value = str(value)[: LIMITS.get(key, 1_000_000)]
        out[key] = value
    out["support_count"] = int(out["support_count"] or 0)
    return out


def clean_filters(filters):
    """Only the facet fields, with empty values dropped; ids as integers."""
    out = {}
    for key, value in (filters or {}).items():
        if key not in FACETS:
            raise ValueError(f"search filters are on {', '.join(FACETS)}, not {key!r}")
        if value in (None, ""):
            continue
        out[key] = int(value) if key.endswith("_id") else str(value)
    return out
