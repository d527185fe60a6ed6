"""The stored dashboard counts: computed on first view, then recomputed by
the background worker when a page finds them older than a minute (one
request per minute per scope, however many people look)."""

from datetime import timedelta, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from consult.models import ChallengeCallPage, MissionPage

from .models import Snapshot
from .selectors import VERSION, counts

REFRESH_SECONDS = 60


def _key(mission, call):
    return (Snapshot.CALL, call.pk) if call is not None else (Snapshot.MISSION, mission.pk)


def recompute(mission: MissionPage, call: ChallengeCallPage | None = None) -> tuple[dict, datetime]:
    scope, scope_id = _key(mission, call)
    data = counts(mission, call)
    now = timezone.now()
    try:
        with transaction.atomic():
            Snapshot.objects.update_or_create(
                scope=scope, scope_id=scope_id,
                defaults={"counts": data, "computed_at": now, "refresh_requested_at": None},
            )
    except IntegrityError:  # two first views at once: the other one stored it
        pass
    return data, now


def snapshot_for(mission: MissionPage, call: ChallengeCallPage | None = None) -> tuple[dict, datetime]:
    """(counts, computed_at): the stored counts, asking the worker for fresh
    ones when they are more than a minute old."""
    scope, scope_id = _key(mission, call)
    row = Snapshot.objects.filter(scope=scope, scope_id=scope_id).only("counts", "computed_at").first()
    if row is None or row.counts.get("version") != VERSION:  # none yet, or stored by an older release
        return recompute(mission, call)
    now = timezone.now()
    if row.computed_at < now - timedelta(seconds=REFRESH_SECONDS):
        claimed = Snapshot.objects.filter(pk=row.pk).exclude(
            refresh_requested_at__gte=now - timedelta(seconds=REFRESH_SECONDS)
        ).update(refresh_requested_at=now)
        if claimed:
            from . import tasks

            transaction.on_commit(lambda: tasks.refresh(scope, scope_id))
    return row.counts, row.computed_at


def refresh(scope: str, scope_id: int) -> None:
    """The worker's side: recompute one snapshot (its scope may have gone)."""
    if scope == Snapshot.CALL:
        call = ChallengeCallPage.objects.filter(pk=scope_id).first()
        if call is not None:
            recompute(call.get_parent().specific, call)
    else:
        mission = MissionPage.objects.filter(pk=scope_id).first()
        if mission is not None:
            recompute(mission)
