"""Ideas' side of search: the documents ideas and comments send to it, kept
in step with every commit, and what ideas ask of it.

search/ is a leaf that knows nothing of ideas, so what may be found is
decided here, by the one visibility module (ideas/visibility.py): a public
idea or comment becomes a plain document, any other a removal, never a
document. Every sync reads the item as it is after the commit, so running
one twice, or late, is harmless.

What keeps the index in step, all after the commit (transaction.on_commit):

- saves and deletes of ideas and comments (Django's post_save/post_delete,
  connected in ideas/apps.py): submit, edit, status and merges, the team's
  response, moderation (hide, approve, reject, hold, restore), comment
  posts, edits and deletes, deleting a call with its ideas. Signals rather
  than a call in each service, so a new write path cannot forget the index.
  An idea whose visibility or title changed brings its comments along
  (they are public only with it, and are titled with it);
- its call published, unpublished or moved (Wagtail's signals, for call
  pages), or a Wagtail view restriction (password, login or groups) added to
  or removed from the call or a page above it: the call's ideas and
  comments come and go with it. Ideas in a restricted section are never
  found by search, though ideas/visibility.py counts them as public (search
  is a public index: the restriction's audience is not the public);
- writes that bypass the signals call in directly: the Pol.is import
  (bulk inserts) and the tallies, which counters.py keeps with UPDATE.

Within one transaction each item is synced once, however many writes
touched it. Tallies are coalesced across transactions (see TallyRefresh)."""

import threading
import time

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.rich_text import get_text_for_indexing
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from consult import search_documents as page_documents
from consult.models import ChallengeCallPage
from consult.visibility import public_pages
from people.models import Profile
from people.names import byline
from search import backend as search_backend

from . import counters, kinds
from .models import Comment, Idea
from .visibility import public_comments, public_ideas


IDEA, COMMENT = "idea", "comment"
CHUNK = 500
# Saves of an idea that change what its comments' documents hold.
COMMENT_FIELDS = {"visibility", "title", "call", "call_id"}
# The syncs recorded in the search outbox inside the write's transaction, by
# the kind the outbox drain re-syncs (a call's sync is not: a call is
# published from the admin, and `search_index --check` finds its drift).
DURABLE = {"idea": IDEA, "idea+comments": IDEA, "comment": COMMENT}


# --- documents -------------------------------------------------------------------


def _plain(html):
    return get_text_for_indexing(html or "")


def _open_calls():
    """Public calls (consult/visibility.py: live, outside every Wagtail
    view restriction on the call or a page above it), as a subquery."""
    return public_pages(ChallengeCallPage).values("pk")


def searchable_ideas():
    """Public ideas (ideas/visibility.py) in calls no view restriction covers."""
    return public_ideas().filter(call__in=_open_calls())


def searchable_comments():
    """Public comments on searchable ideas."""
    return public_comments().filter(idea__call__in=_open_calls())


def _ideas():
    return searchable_ideas().select_related(
        "call", "organisation_sector", "on_behalf_of", "author__profile"
    ).prefetch_related("tags")


def _comments():
    return searchable_comments().select_related("idea__call", "author__profile")


def _author(item):
    """The name a page shows for the item, so people find contributions by
    who wrote them; nothing for one posted without a name (people/names.py)."""
    return "" if item.anonymous else byline(item)


def _missions(calls, known):
    """Fill `known` ({call pk: mission pk}) for these calls, one query for
    those not known yet."""
    missing = {call.pk: call for call in calls if call.pk not in known}
    if missing:
        for pk, (mission_id, _title) in page_documents.missions_of(list(missing.values())).items():
            known[pk] = mission_id
    return known


def idea_document(idea, mission_id):
    """A public idea (its call, sector, organisation, author and tags
    loaded with it), named by its author's display name as its page is."""
    return {
        "kind": IDEA,
        "id": idea.pk,
        "title": idea.title,
        "url": idea.get_absolute_url(),
        "summary": idea.summary,
        "body": _plain(idea.body_html) or idea.body,
        "tags": [tag.name for tag in idea.tags.all()],
        "organisation": idea.organisation,
        "author": _author(idea),
        "status": idea.status,
        "sector": idea.organisation_sector.name if idea.organisation_sector_id else "",
        "org_type": idea.on_behalf_of.get_type_display() if idea.on_behalf_of_id else "",
        "mission_id": mission_id,
        "call_id": idea.call_id,
        "support_count": counters.support_measure(idea),  # what "most supported" sorts by
        "published_at": idea.created_at,
        "context": f"Idea in {idea.call.title}",
    }


def _excerpt(text, limit=90):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def comment_document(comment, mission_id):
    """A public comment (its idea, call and author loaded with it). It is
    found by its own words: its title is the start of its text, and the idea
    it answers is named only in the context line (not searched), so a comment
    does not outrank the idea for the words of the idea's title."""
    idea = comment.idea
    text = _plain(comment.body_html) or comment.body
    return {
        "kind": COMMENT,
        "id": comment.pk,
        "title": _excerpt(text) or "Comment",
        "url": f"{idea.get_absolute_url()}#comment-{comment.pk}",
        "body": text,
        "author": _author(comment),
        "mission_id": mission_id,
        "call_id": idea.call_id,
        "support_count": comment.support_count,
        "published_at": comment.created_at,
        "context": f"On \u201c{_excerpt(idea.title, 120)}\u201d in {idea.call.title}",
    }


def _stream(queryset, build, call_of):
    """Documents of a queryset of ideas or comments, in chunks: a fixed
    number of queries per chunk, never one per row."""
    missions = {}
    batch = []
    for item in queryset.iterator(chunk_size=CHUNK):
        batch.append(item)
        if len(batch) >= CHUNK:
            _missions([call_of(i) for i in batch], missions)
            yield from (build(i, missions[call_of(i).pk]) for i in batch)
            batch = []
    if batch:
        _missions([call_of(i) for i in batch], missions)
        yield from (build(i, missions[call_of(i).pk]) for i in batch)


def idea_documents(queryset=None):
    """Every public idea's document (or those of `queryset`, a filter of
    the public ones), for `search_index --rebuild` and the syncs."""
    queryset = _ideas() if queryset is None else queryset
    return _stream(queryset.order_by("pk"), idea_document, lambda idea: idea.call)


def comment_documents(queryset=None):
    queryset = _comments() if queryset is None else queryset
    return _stream(queryset.order_by("pk"), comment_document, lambda comment: comment.idea.call)


def count_ideas():
    return searchable_ideas().count()


def count_comments():
    return searchable_comments().count()


# --- syncing: a document for each public item, a removal for each other -----------


def _chunks(ids, size=CHUNK):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _sync(kind, ids, documents, queryset):
    """Index the public ones of `ids` and remove the rest, a chunk at a time
    in a few statements (search_backend.index_many)."""
    for chunk in _chunks(dict.fromkeys(ids)):
        docs = list(documents(queryset.filter(pk__in=chunk)))
        search_backend.index_many(docs)
        found = {doc["id"] for doc in docs}
        search_backend.remove_many(kind, [pk for pk in chunk if pk not in found])


def sync_ideas(ids):
    _sync(IDEA, ids, idea_documents, _ideas())


def sync_comments(ids):
    _sync(COMMENT, ids, comment_documents, _comments())


def sync_comments_of(idea_ids):
    """The comments of these ideas: they are public only with their idea."""
    for chunk in _chunks(idea_ids):
        sync_comments(Comment.objects.filter(idea_id__in=chunk).values_list("pk", flat=True).order_by("pk"))


def sync_call(call_id):
    """Every idea and comment of a call: what publishing, unpublishing or
    moving the call changes."""
    sync_ideas(Idea.objects.filter(call_id=call_id).values_list("pk", flat=True).order_by("pk"))
    sync_comments(Comment.objects.filter(idea__call_id=call_id).values_list("pk", flat=True).order_by("pk"))


# --- after the commit, once per item per transaction --------------------------------

_local = threading.local()


def _run(keys, durable=True):
    """Sync what one transaction changed, calls first (they cover their
    ideas), then ideas (with their comments when asked), then comments; then
    clear the outbox rows the transaction wrote for them."""
    tallies.flush_due()
    for pk in [pk for op, pk in keys if op == "call"]:
        sync_call(pk)
    ideas = list(dict.fromkeys(pk for op, pk in keys if op in ("idea", "idea+comments")))
    comments = [pk for op, pk in keys if op == "comment"]
    sync_ideas(ideas)
    sync_comments_of([pk for op, pk in keys if op == "idea+comments"])
    sync_comments(comments)
    if durable:
        search_backend.synced(IDEA, ideas)
        search_backend.synced(COMMENT, comments)


def _resync_ideas(ids):
    """The outbox drain's re-sync of ideas a process died before indexing:
    each idea and its comments, as they are now."""
    sync_ideas(ids)
    sync_comments_of(ids)


def _schedule(op, pk):
    """Sync (op, pk) after the commit, once per transaction: one flush per
    transaction collects the keys; a flush whose savepoint rolled back is
    gone from the connection's list, and a new one is made."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _run({(op, pk): None}, durable=False)
        return
    flush = getattr(_local, "flush", None)
    registered = flush is not None and not flush.done and any(f is flush for _, f, _ in connection.run_on_commit)
    if not registered:
        keys = {}

        def flush():
            flush.done = True
            _run(keys)

        flush.done = False
        flush.keys = keys
        _local.flush = flush
        transaction.on_commit(flush, robust=True)
    if (op, pk) not in flush.keys and op in DURABLE:
        # Committed with the write: if the process dies before the flush,
        # the outbox drain indexes it (search/outbox.py).
        search_backend.pending(DURABLE[op], pk)
    flush.keys[(op, pk)] = None


def idea_changed_on_commit(idea_id, comments=True):
    """Bring the idea (and, unless told otherwise, its comments) in line after the commit."""
    _schedule("idea+comments" if comments else "idea", idea_id)


def comment_changed_on_commit(comment_id):
    _schedule("comment", comment_id)


def call_changed_on_commit(call_id):
    _schedule("call", call_id)


# --- tallies: coalesced --------------------------------------------------------------


class TallyRefresh:
    """Votes and comment supports change `support_count` with an UPDATE,
    many times a second on a busy call: re-indexing the whole document on
    every vote would put an index write (and with Elasticsearch, an HTTP
    request) on the hottest path. So tallies are coalesced per process: the
    first change after a quiet spell is synced at once, after its commit;
    changes inside the next `window` seconds wait, and are synced together
    by the first vote, sync or search after the window. Sorting by support
    may lag by that much; `search_index --rebuild` sets every count. No
    thread: a background writer would contend with requests for SQLite."""

    BATCH = 200  # the most documents one request re-indexes for others

    def __init__(self, window=None, clock=time.monotonic):
        self._window = window
        self.clock = clock
        self.lock = threading.Lock()
        self.pending = {}  # (kind, id) -> None, in order
        self.next_at = 0.0

    @property
    def window(self):
        if self._window is not None:
            return self._window
        return float(getattr(settings, "SEARCH_TALLY_SECONDS", 2.0))

    def changed(self, kind, pk):
        """A tally of an idea or comment changed (its commit is done)."""
        with self.lock:
            self.pending[(kind, pk)] = None
        self.flush_due()

    def flush_due(self):
        with self.lock:
            now = self.clock()
            if not self.pending or now < self.next_at:
                return
            keys = list(self.pending)[: self.BATCH]
            for key in keys:
                del self.pending[key]
            # More left: the next change or search takes the next batch at once.
            self.next_at = now if self.pending else now + self.window
        sync_ideas([pk for kind, pk in keys if kind == IDEA])
        sync_comments([pk for kind, pk in keys if kind == COMMENT])


tallies = TallyRefresh()


def tally_changed_on_commit(kind, pk):
    """Call where a vote or a comment support has changed `support_count`."""
    transaction.on_commit(lambda: tallies.changed(kind, pk), robust=True)


# --- signals -----------------------------------------------------------------------


def _idea_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    comments = not created and (update_fields is None or bool(COMMENT_FIELDS & set(update_fields)))
    idea_changed_on_commit(instance.pk, comments=comments)


def _idea_deleted(sender, instance, **kwargs):
    idea_changed_on_commit(instance.pk, comments=False)  # its comments send their own


def _comment_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        comment_changed_on_commit(instance.pk)


def _comment_deleted(sender, instance, **kwargs):
    comment_changed_on_commit(instance.pk)


# A call's state before a save, to tell a publish that changes what its
# ideas' documents say (live, title) from one that edits only its text.
_calls_before = threading.local()


def _call_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = ChallengeCallPage.objects.filter(pk=instance.pk).values_list("live", "title").first()
    _calls_before.__dict__[instance.pk] = before


def _call_published(sender, instance, **kwargs):
    before = _calls_before.__dict__.pop(instance.pk, None)
    if before != (instance.live, instance.title):
        call_changed_on_commit(instance.pk)


def _call_unpublished(sender, instance, **kwargs):
    _calls_before.__dict__.pop(instance.pk, None)
    call_changed_on_commit(instance.pk)


def _page_moved(sender, instance, **kwargs):
    """A call moved to another mission: its ideas carry the mission's id."""
    calls = ChallengeCallPage.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
    for pk in calls:
        call_changed_on_commit(pk)


def _restriction_changed(sender, instance, **kwargs):
    """A view restriction added, changed or removed: every call at or under
    its page gains or loses its ideas and comments."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    for pk in ChallengeCallPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True):
        call_changed_on_commit(pk)


def _profile_saved(sender, instance, raw=False, **kwargs):
    """A new display name (or a deleted account) re-indexes the person's
    contributions after the commit, so search finds them by the name shown."""
    if raw:
        return
    for pk in Idea.objects.filter(author_id=instance.user_id, anonymous=False).values_list("pk", flat=True):
        idea_changed_on_commit(pk, comments=False)
    for pk in Comment.objects.filter(author_id=instance.user_id, anonymous=False).values_list("pk", flat=True):
        comment_changed_on_commit(pk)


def register():
    """The signals and the sources, once, from ideas/apps.py."""
    post_save.connect(_idea_saved, sender=Idea, dispatch_uid="ideas.search.idea_saved")
    post_delete.connect(_idea_deleted, sender=Idea, dispatch_uid="ideas.search.idea_deleted")
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid="ideas.search.comment_saved")
    post_delete.connect(_comment_deleted, sender=Comment, dispatch_uid="ideas.search.comment_deleted")
    pre_save.connect(_call_saving, sender=ChallengeCallPage, dispatch_uid="ideas.search.call_saving")
    page_published.connect(_call_published, sender=ChallengeCallPage, dispatch_uid="ideas.search.call_published")
    page_unpublished.connect(_call_unpublished, sender=ChallengeCallPage, dispatch_uid="ideas.search.call_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="ideas.search.page_moved")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="ideas.search.restricted")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="ideas.search.unrestricted")
    post_save.connect(_profile_saved, sender=Profile, dispatch_uid="ideas.search.profile_saved")
    search_backend.register_source(IDEA, idea_documents, count_ideas)
    search_backend.register_source(COMMENT, comment_documents, count_comments)
    search_backend.register_resync(IDEA, _resync_ideas)
    search_backend.register_resync(COMMENT, sync_comments)


# --- what ideas ask of search ---------------------------------------------------------


def visible(kind, ids):
    """The ids among `ids` anyone may still see: search re-reads its hits
    through this (search.backend.search(..., visible=visible)), so an index
    that missed a change never shows a hidden item."""
    tallies.flush_due()
    ids = list(ids)
    if kind == IDEA:
        return set(searchable_ideas().filter(pk__in=ids).values_list("pk", flat=True))
    if kind == COMMENT:
        return set(searchable_comments().filter(pk__in=ids).values_list("pk", flat=True))
    other = kinds.get(kind)
    if other is not None:  # another kind of contribution (ideas/kinds.py): its own public query
        return set(other.public_rows().filter(pk__in=ids).values_list("pk", flat=True))
    return page_documents.visible(kind, ids)


def _ideas_in_order(ids, **filters):
    found = public_ideas().filter(pk__in=ids, **filters).select_related("call").in_bulk()
    return [found[pk] for pk in ids if pk in found]


def similar_ideas(call, text, limit=5):
    """Public ideas in the call that look like `text`, best first, shown
    before someone submits theirs."""
    hits = search_backend.similar(IDEA, text, filters={"call_id": call.pk}, limit=limit)
    return _ideas_in_order([hit.id for hit in hits], call=call)
