"""Kinds of contribution: what every kind declares once, so that moderation,
visibility, counters, search, the data download and the page cache work for
it without knowing it.

Ideas and comments are two kinds (ideas/own_kinds.py); an app above ideas
(prizes, consultations, assemblies...) declares its own in its
AppConfig.ready() with `register(Kind(...))`. This module sits in ideas
because ideas is below moderation and below those apps
(docs/architecture.md), and above the leaves it feeds (search, live, people's
data rights). A kind missing a part fails at registration, naming the part:
a half-declared kind would otherwise be found out only when a moderator
hides one of its rows and the search index or a counter keeps it.

Every row of a kind carries `visibility` (ideas.models.Visibility),
`moderation_reason`, `created_at` and its author; it belongs to a call
(a page under a mission) through `page`, an ORM path such as "call" or
"idea__call"."""

from dataclasses import dataclass
from typing import Any
from collections.abc import Callable, Iterable

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from people import data_rights
from search import backend as search_backend

Events = list  # of (topic, event, payload): what live clients and the page cache hear


@dataclass(frozen=True)
class Kind:
    """One kind of contribution. `name` is its key everywhere (the queue's
    "idea:7", the audit log, search documents, live payloads); `label` is
    how people read it ("idea")."""

    name: str
    model: type
    label: str
    page: str                                   # ORM path from a row to its call: "call", "idea__call"
    public_rows: Callable[[], Any]              # the public queryset (visibility, once)
    is_public: Callable[[Any], bool]            # the same rule for one loaded row
    call_of: Callable[[Any], Any]               # its call (flag threshold, mission's moderators)
    title: Callable[[Any], str]                 # what the queue shows for it
    named: Callable[[Any], str]                 # "“Warm lofts”", "on “Warm lofts”": what the author is told
    text: Callable[[Any], str]                  # its words, for screening
    counts: Callable[[Any], bool]               # does it count towards its counter?
    count_changed: Callable[[Any, bool], int]   # keep the counter after a change; the delta
    shown: Callable[[Any], Events]              # live events when it becomes public
    removed: Callable[[Any], Events]            # live events when it stops being public
    data_section: str                           # its section of a person's data download
    data_rows: Callable[[Any], Iterable[dict]]  # a person's rows of this kind (their export)
    data_erase: Callable[[Any, bool], None]     # what deleting their account does to them
    data_order: int = 50
    document: Callable[[Any], dict] | None = None   # its search document (registry keeps the index)
    sync_search: Callable[[int], None] | None = None  # or: the kind keeps its own index in step
    after_counted: Callable[[Any, int], Events] = lambda row, delta: []  # e.g. a parent's count on a card
    on_shown: Callable[[Any], None] = lambda row: None  # e.g. tell followers (approved after pre-moderation)
    on_visibility: Callable[[Any, int], None] = lambda row, delta: None  # anything else that follows
    save_fields: tuple = ()                     # more fields to save with a change of state ("updated_at")
    author_field: str = "author"

    def author(self, row):
        return getattr(row, self.author_field)

    def search(self, pk):
        """Bring this row's search document in step (after the commit)."""
        if self.sync_search is not None:
            self.sync_search(pk)
        else:
            transaction.on_commit(lambda: _sync_document(self, pk))


class IncompleteKind(ValueError):
    """A kind registered without one of its parts."""


_kinds: dict[str, Kind] = {}
_by_model: dict[type, Kind] = {}
REQUIRED = ("name", "model", "label", "page", "public_rows", "is_public", "call_of", "title", "named", "text",
            "counts", "count_changed", "shown", "removed", "data_section", "data_rows", "data_erase")
ROW_FIELDS = ("visibility", "moderation_reason", "created_at")


def check(kind):
    """Raise IncompleteKind naming every part the kind lacks."""
    name = getattr(kind, "name", None) or "?"
    missing = [part for part in REQUIRED if not getattr(kind, part, None)]
    if missing:
        raise IncompleteKind(f"The kind of contribution {name!r} lacks: {', '.join(missing)}.")
    for part in REQUIRED:
        if part not in {"name", "model", "label", "page", "data_section"} and not callable(getattr(kind, part)):
            raise IncompleteKind(f"The kind of contribution {name!r}: {part} must be a function.")
    if kind.document is None and kind.sync_search is None:
        raise IncompleteKind(f"The kind of contribution {name!r} lacks: document (or sync_search), for search.")
    if not (isinstance(kind.model, type) and issubclass(kind.model, models.Model)):
        raise IncompleteKind(f"The kind of contribution {name!r}: model must be a Django model.")
    for column in (*ROW_FIELDS, kind.author_field):
        try:
            kind.model._meta.get_field(column)
        except FieldDoesNotExist:
            raise IncompleteKind(f"The kind of contribution {name!r}: {kind.model.__name__} has no field {column!r}.")
    if name in _kinds and _kinds[name].model is not kind.model:
        raise IncompleteKind(f"The kind of contribution {name!r} is already registered for another model.")


def register(kind):
    """Declare a kind once (in AppConfig.ready). Registers its section of the
    data download and, when the registry keeps its index, its search source
    and the signals that keep it in step."""
    check(kind)
    first = kind.name not in _kinds
    _kinds[kind.name] = kind
    _by_model[kind.model] = kind
    data_rights.register(kind.data_section, kind.data_rows, kind.data_erase, order=kind.data_order)
    if kind.document is not None and first:
        search_backend.register_kind(kind.name)
        search_backend.register_source(kind.name, lambda: _documents(kind), lambda: kind.public_rows().count())
        post_save.connect(_saved, sender=kind.model, dispatch_uid=f"kinds_saved_{kind.name}")
        post_delete.connect(_deleted, sender=kind.model, dispatch_uid=f"kinds_deleted_{kind.name}")
    return kind


def all_kinds():
    return list(_kinds.values())


def get(name):
    """The kind called `name`, or None (a queue key from a form)."""
    return _kinds.get(name)


def of(row):
    """The kind of a row (or of a model)."""
    model = row if isinstance(row, type) else type(row)
    for klass in model.__mro__:
        if klass in _by_model:
            return _by_model[klass]
    raise LookupError(f"{model.__name__} is not a registered kind of contribution (ideas/kinds.py).")


def find(model):
    """The kind of a model, or None (a receiver asked about every model)."""
    for klass in getattr(model, "__mro__", ()):
        if klass in _by_model:
            return _by_model[klass]
    return None


def in_pages(kind, pages):
    """The kind's rows in these calls (a queryset of pages)."""
    return kind.model.objects.filter(**{f"{kind.page}__in": pages})


def is_public(row):
    return of(row).is_public(row)


# --- search, for kinds whose index the registry keeps --------------------------


def _documents(kind):
    for row in kind.public_rows().order_by("pk").iterator(chunk_size=500):
        yield kind.document(row)


def _sync_document(kind, pk):
    row = kind.public_rows().filter(pk=pk).first()
    if row is None:
        search_backend.remove(kind.name, pk)
    else:
        search_backend.index(kind.document(row))


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        of(sender).search(instance.pk)


def _deleted(sender, instance, **kwargs):
    of(sender).search(instance.pk)
