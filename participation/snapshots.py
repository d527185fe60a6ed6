"""The stored dashboard counts, read: computed on first view, then
recomputed by the background worker when a page finds them older than a
minute (one request per minute per scope, however many people look). Apart
from participation/services.py, the writes the worker's task runs, so that
the task imports the services and this module imports both."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import tasks
from .models import Snapshot
from .selectors import VERSION
from .services import recompute, scope_key

REFRESH_SECONDS = 60


def snapshot_for(mission, call=None):
    """(counts, computed_at): the stored counts, asking the worker for fresh
    ones when they are more than a minute old."""
    scope, scope_id = scope_key(mission, call)
    row = Snapshot.objects.filter(scope=scope, scope_id=scope_id).only("counts", "computed_at").first()
    if row is None or row.counts.get("version") != VERSION:  # none yet, or stored by an older release
        return recompute(mission, call)
    now = timezone.now()
    if row.computed_at < now - timedelta(seconds=REFRESH_SECONDS):
        claimed = Snapshot.objects.filter(pk=row.pk).exclude(
            refresh_requested_at__gte=now - timedelta(seconds=REFRESH_SECONDS)
        ).update(refresh_requested_at=now)
        if claimed:
            transaction.on_commit(lambda: tasks.refresh(scope, scope_id))
    return row.counts, row.computed_at
