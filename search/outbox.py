"""Index changes not yet made, kept until they are: those a process died
before making, and those Elasticsearch missed.

A write that changes what may be found records its items here, in its own
transaction (`pending`: stage DATABASE), and its after-commit sync removes
them once indexed (`synced`). If the process dies between the commit and
the sync (`kill -9`, a lost machine), the row is still here: the backlog
/health and `search_index --check` report (`backlog`, one count for both)
includes it, and `drain` re-syncs it from its source (each app registers a
re-sync per kind: search.backend.register_resync).

backend.index and backend.remove write the database index first (it is the
record of what should be findable) and then hand the Elasticsearch write to
`send`. When Elasticsearch cannot be reached, the writer's change has already
committed and must not fail, so `send` records the item's kind and id in the
outbox table (search.models.Outbox: one row per item, the latest change
wins) and logs a warning.

The outbox stores no document: `drain` re-reads each item's row in the
database index (search.models.Entry) when it sends, so what reaches
Elasticsearch is the item as it is now — a document if it still has a row,
a removal if not — however many changes it went through meanwhile.

It is drained every minute by a periodic task on the background worker
(search/tasks.py), by `search_index --drain`, and opportunistically: after a successful send when a backlog
exists, and by /health when Elasticsearch answers again (`drain_soon`: a
small batch, after commit, one drain at a time per process)."""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from . import documents
from .lazy import elastic as _elastic
from .models import Entry, Outbox

log = logging.getLogger(__name__)

DRAIN_SOON_LIMIT = 20
_draining = threading.Lock()
_resyncs = {}  # kind -> fn(ids), registered through search.backend.register_resync


def register_resync(kind, fn):
    _resyncs[kind] = fn


def send(kind, id, fn):
    """Run fn() (an Elasticsearch write for one item); if it fails, queue the
    item instead. Never raises: the writer's change is already committed.
    True when it was sent."""
    elastic = _elastic()
    try:
        fn()
    except elastic.Unavailable as exc:
        log.warning("Elasticsearch missed %s %s (%s); it waits in the search outbox", kind, id, exc)
        queue(kind, id)
        return False
    except Exception:  # a refused document: keep it visible in the backlog, never fail the writer
        log.exception("Elasticsearch refused %s %s; it waits in the search outbox", kind, id)
        queue(kind, id)
        return False
    try:
        if Outbox.objects.exists():
            drain_soon()
    except DatabaseError:
        log.exception("could not read the search outbox")
    return True


def queue(kind, id):
    """Record (or refresh) the item's row for Elasticsearch: one per item,
    the latest wins (the database index has it)."""
    try:
        row, created = Outbox.objects.get_or_create(kind=kind, object_id=id)
        if not created:
            Outbox.objects.filter(pk=row.pk).update(queued_at=timezone.now(), attempts=F("attempts") + 1,
                                                    stage=Outbox.ELASTIC)
    except DatabaseError:
        log.exception("could not queue %s %s in the search outbox: it is stale until the next rebuild", kind, id)


def pending(kind, id):
    """Inside the changing write's transaction: the item is to be indexed
    after the commit. Committed with the write, so a process that dies
    before its after-commit sync leaves the row for `drain`."""
    # One statement (INSERT ... ON CONFLICT DO UPDATE on both databases).
    Outbox.objects.bulk_create([Outbox(kind=kind, object_id=id, stage=Outbox.DATABASE, queued_at=timezone.now())],
                               update_conflicts=True, unique_fields=["kind", "object_id"],
                               update_fields=["stage", "queued_at"])


def synced(kind, ids):
    """The after-commit sync indexed these items: their DATABASE rows go
    (a row Elasticsearch missed meanwhile is ELASTIC and stays)."""
    ids = list(ids)
    if not ids:
        return
    try:
        Outbox.objects.filter(kind=kind, object_id__in=ids, stage=Outbox.DATABASE).delete()
    except DatabaseError:
        log.exception("could not clear %s in the search outbox: the next drain indexes them again", kind)


def backlog():
    """How many index changes are not made yet: those committed but not
    indexed, and those Elasticsearch missed. /health and `search_index
    --check` both report this."""
    return Outbox.objects.count()


def forget(kind):
    """Drop every queued item of `kind`: a full rebuild has just sent them."""
    Outbox.objects.filter(kind=kind).delete()


def document(entry):
    """The document a database index row (search.models.Entry) stands for."""
    return documents.clean(
        {
            "kind": entry.kind,
            "id": int(entry.object_id),
            "title": entry.title,
            "url": entry.url,
            "summary": entry.summary,
            "body": entry.body,
            "tags": entry.tags.split(),
            "organisation": entry.organisation,
            "author": entry.author,
            "status": entry.status,
            "sector": entry.sector,
            "org_type": entry.org_type,
            "mission_id": entry.mission_id,
            "call_id": entry.call_id,
            "support_count": entry.support_count,
            "published_at": entry.published_at,
            "context": entry.context,
        }
    )


def _resend(kind, object_id):
    elastic = _elastic()
    entry = Entry.objects.filter(kind=kind, object_id=object_id).first()
    if entry is None:
        elastic.remove(kind, object_id)
    else:
        elastic.index(document(entry))


def _resync_pending(limit=None):
    """Index the items committed but never indexed (stage DATABASE), each
    re-read from its source by the re-sync its app registered; a row is
    removed only if it was not queued again meanwhile. Returns how many."""
    rows = Outbox.objects.filter(stage=Outbox.DATABASE).order_by("queued_at", "pk")
    if limit is not None:
        rows = rows[:limit]
    by_kind = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    done = 0
    for kind, kind_rows in by_kind.items():
        resync = _resyncs.get(kind)
        if resync is None:
            continue
        try:
            resync([row.object_id for row in kind_rows])
        except Exception:
            log.exception("re-indexing %s from the search outbox failed; it stays queued", kind)
            continue
        for row in kind_rows:
            done += Outbox.objects.filter(pk=row.pk, stage=Outbox.DATABASE, queued_at=row.queued_at).delete()[0]
    return done


def drain(limit=None):
    """Index what a process died before indexing (re-read from its source),
    then, when Elasticsearch is configured, send queued items, oldest first,
    each as it is now in the database index. Stops at the first Unavailable,
    leaving the rest queued; an item Elasticsearch refuses stays queued (its
    attempts counted) and the drain goes on. Returns (sent, left)."""
    sent = _resync_pending(limit)
    if not settings.ELASTICSEARCH_URL:
        return sent, backlog()
    elastic = _elastic()
    rows = Outbox.objects.filter(stage=Outbox.ELASTIC).order_by("queued_at", "pk")
    if limit is not None:
        rows = rows[:limit]
    for row in list(rows):
        try:
            _resend(row.kind, row.object_id)
        except elastic.Unavailable as exc:
            log.warning("Elasticsearch still does not answer (%s); %d sent from the search outbox", exc, sent)
            break
        except Exception:
            log.exception("Elasticsearch refused %s %s from the search outbox", row.kind, row.object_id)
            Outbox.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
            continue
        # Only if it was not queued again while being sent: that newer
        # change is sent by the next drain.
        Outbox.objects.filter(pk=row.pk, queued_at=row.queued_at, stage=Outbox.ELASTIC).delete()
        sent += 1
    return sent, backlog()


def drain_soon():
    """Drain a small batch once the current transaction commits (at once
    outside one). Cheap and bounded: DRAIN_SOON_LIMIT items, and only one
    drain at a time in this process; the periodic `search_index --drain`
    does the rest."""
    transaction.on_commit(_drain_a_little)


def _drain_a_little():
    if not _draining.acquire(blocking=False):
        return
    try:
        drain(limit=DRAIN_SOON_LIMIT)
    except Exception:  # never fail the request that happened to trigger it
        log.exception("draining the search outbox failed")
    finally:
        _draining.release()
