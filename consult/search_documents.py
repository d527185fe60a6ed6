"""Missions, challenge calls and the other Wagtail pages, as search documents.

search/ is a leaf that knows no page, so this module decides what of the
page tree anyone may find: live pages outside any view restriction
(the page rule, consult/visibility.py), inside a site (so each has an
address). Such a page becomes a document of kind "mission", "call" or
"page"; any other page, a removal.

The index follows the tree through Wagtail's signals, after the commit:
published, unpublished, deleted, moved, and made private or public again
(a view restriction added or removed covers the page and everything under
it). A call's ideas and comments follow their call too; ideas, above us,
listen to the same signals for that (ideas/search_documents.py).

A call's phase is not indexed as its status: it changes with the clock,
not with a write, so an indexed phase would go stale without anything to
re-index it."""


from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from search import backend as search_backend

from .models import ChallengeCallPage, MissionPage
from .visibility import public_pages as _public_pages


MISSION, CALL, PAGE = "mission", "call", "page"
KINDS = (MISSION, CALL, PAGE)
CHUNK = 500


def kind_of(page_class):
    if page_class is not None and issubclass(page_class, MissionPage):
        return MISSION
    if page_class is not None and issubclass(page_class, ChallengeCallPage):
        return CALL
    return PAGE


# --- what anyone may find --------------------------------------------------------


def _in_sites():
    """Pages under a site's root page, the root included: the pages with an
    address. The tree's own root (depth 1) and strays outside every site
    have none."""
    q = Q(pk__in=[])
    for path in Site.objects.values_list("root_page__path", flat=True):
        q |= Q(path__startswith=path)
    return q


def public_pages(model=Page):
    """Public pages of `model` (consult/visibility.py), in a site."""
    return _public_pages(model).filter(_in_sites())


def _public(kind):
    if kind == MISSION:
        return public_pages(MissionPage)
    if kind == CALL:
        return public_pages(ChallengeCallPage)
    return public_pages().not_type(MissionPage, ChallengeCallPage)


def count(kind):
    """How many documents of `kind` the index should hold (`search_index --check`)."""
    return _public(kind).count()


def visible(kind, ids):
    """The subset of `ids` (pages of `kind`) anyone may still see."""
    return set(_public(kind).filter(pk__in=list(ids)).values_list("pk", flat=True))


# --- documents -------------------------------------------------------------------


def _text(html):
    return get_text_for_indexing(html or "")


def _searchable_text(page):
    """The text of a page's rich text and stream fields, whatever its type,
    and of the plain text fields its type lists in Wagtail's `search_fields`
    (a pilot's hypothesis and lesson, issue #18)."""
    parts = []
    rich = set()
    for field in type(page)._meta.get_fields():
        if isinstance(field, (RichTextField, StreamField)) and field.model is not Page:
            rich.add(field.name)
            value = getattr(page, field.attname, None)
            if value:
                parts.extend(str(part) for part in field.get_searchable_content(value))
    own = {f.name for f in type(page)._meta.get_fields() if getattr(f, "model", None) is not Page}
    for search_field in getattr(type(page), "search_fields", []):
        name = getattr(search_field, "field_name", "")
        if isinstance(search_field, index.SearchField) and name in own and name not in rich:
            value = getattr(page, name, None)
            if isinstance(value, str):
                parts.append(value)
    return " ".join(part for part in parts if part)


def _url(page):
    return page.get_url() or page.url_path


def mission_document(mission):
    """The mission page (its learning questions prefetched)."""
    questions = [
        " ".join(filter(None, [q.question, q.answer])) for q in mission.learning_questions.all()
    ]
    return {
        "kind": MISSION,
        "id": mission.pk,
        "title": mission.title,
        "url": _url(mission),
        "summary": mission.search_description or mission.goal,
        "body": " ".join(filter(None, [_text(mission.what_we_know), *questions])),
        "mission_id": mission.pk,
        "published_at": mission.first_published_at,
        "context": "Mission",
    }


def call_document(call, mission_id=None, mission_title=""):
    """The call page; its mission (its parent in the tree) is passed in, so
    a list of calls costs one query for all their missions."""
    return {
        "kind": CALL,
        "id": call.pk,
        "title": call.title,
        "url": _url(call),
        "summary": call.search_description,
        "body": " ".join(filter(None, [_text(call.brief), _text(call.results_summary)])),
        "mission_id": mission_id,
        "call_id": call.pk,
        "published_at": call.first_published_at,
        "context": f"Challenge call in {mission_title}" if mission_title else "Challenge call",
    }


def page_document(page):
    """Any other page (the home page, the missions index…), as its specific type."""
    return {
        "kind": PAGE,
        "id": page.pk,
        "title": page.title,
        "url": _url(page),
        "summary": page.search_description,
        "body": _searchable_text(page),
        "published_at": page.first_published_at,
        # A page type may name itself in results (PilotPage: "Pilot").
        "context": getattr(type(page), "search_context", ""),
    }


def missions_of(calls):
    """{call pk: (mission pk, mission title)} in one query: a call's mission
    is its parent in the tree."""
    step = ChallengeCallPage.steplen
    paths = {call.path[:-step] for call in calls}
    rows = MissionPage.objects.filter(path__in=paths).values_list("path", "pk", "title")
    missions = {path: (pk, title) for path, pk, title in rows}
    return {call.pk: missions.get(call.path[:-step], (None, "")) for call in calls}


def _call_documents(calls):
    missions = missions_of(calls)
    for call in calls:
        yield call_document(call, *missions[call.pk])


def _chunks(iterable, size=CHUNK):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def documents(kind, ids=None):
    """Every public page of `kind` as a document (or only those in `ids`),
    streamed in chunks, a fixed number of queries per chunk."""
    qs = _public(kind).order_by("path")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if kind == MISSION:
        for mission in qs.prefetch_related("learning_questions").iterator(chunk_size=CHUNK):
            yield mission_document(mission)
    elif kind == CALL:
        for chunk in _chunks(qs.iterator(chunk_size=CHUNK)):
            yield from _call_documents(chunk)
    else:
        for chunk in _chunks(qs.specific().iterator(chunk_size=CHUNK)):
            for page in chunk:
                yield page_document(page)


def mission_documents():
    return documents(MISSION)


def call_documents():
    return documents(CALL)


def page_documents():
    return documents(PAGE)


# --- keeping the index in step ---------------------------------------------------


def sync_pages(ids):
    """Bring the index in line with these pages as they are now: a document
    for each public one, a removal for each other (or gone) one."""
    ids = list(dict.fromkeys(ids))
    for chunk in _chunks(ids):
        indexed = set()
        for kind in KINDS:
            for doc in documents(kind, chunk):
                search_backend.index(doc)
                indexed.add(doc["id"])
        rest = [pk for pk in chunk if pk not in indexed]
        if not rest:
            continue
        kinds = {pk: kind_of(page.specific_class) for pk, page in Page.objects.in_bulk(rest).items()}
        for pk in rest:
            # A page no longer in the tree may have been any kind.
            for kind in [kinds[pk]] if pk in kinds else KINDS:
                search_backend.remove(kind, pk)


def sync_subtree(page_id):
    """The page and everything under it: what a move or a view restriction changes."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    sync_pages(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def _on_commit(func, *args):
    transaction.on_commit(lambda: func(*args), robust=True)


def _published(sender, instance, **kwargs):
    if isinstance(instance, MissionPage):
        # Its calls say "Challenge call in <mission title>".
        ids = [instance.pk, *ChallengeCallPage.objects.child_of(instance).values_list("pk", flat=True)]
        _on_commit(sync_pages, ids)
    else:
        _on_commit(sync_pages, [instance.pk])


def _unpublished(sender, instance, **kwargs):
    _on_commit(sync_pages, [instance.pk])


def _deleted(sender, instance, **kwargs):
    """A page deleted: Django sends this for the base Page row and for its
    specific row; the specific one says which kind to remove."""
    if not isinstance(instance, Page) or type(instance) is not (instance.specific_class or Page):
        return
    kind, pk = kind_of(type(instance)), instance.pk
    transaction.on_commit(lambda: search_backend.remove(kind, pk), robust=True)


def _moved(sender, instance, **kwargs):
    _on_commit(sync_subtree, instance.pk)


def _restriction_changed(sender, instance, **kwargs):
    _on_commit(sync_subtree, instance.page_id)


def register():
    """Sources for `search_index` and the signals that keep the index in step
    (called once, from consult/apps.py)."""
    search_backend.register_source(MISSION, mission_documents, lambda: count(MISSION))
    search_backend.register_source(CALL, call_documents, lambda: count(CALL))
    search_backend.register_source(PAGE, page_documents, lambda: count(PAGE))
    page_published.connect(_published, dispatch_uid="consult.search.published")
    page_unpublished.connect(_unpublished, dispatch_uid="consult.search.unpublished")
    # One sender at a time: a receiver for every model would stop Django
    # deleting any model's rows in bulk (votes, say) without loading them.
    for model in {Page, *get_page_models()}:
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"consult.search.deleted.{model._meta.label}")
    post_page_move.connect(_moved, dispatch_uid="consult.search.moved")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="consult.search.restricted")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="consult.search.unrestricted")
