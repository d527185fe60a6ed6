"""The stored dashboard counts, written: on first view and by the background
worker (participation/tasks.py) when a page finds them older than a minute
(participation/snapshots.py reads them and asks)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from consult.models import ChallengeCallPage, MissionPage

from .models import Snapshot
from .selectors import counts


def scope_key(mission, call):
    return (Snapshot.CALL, call.pk) if call is not None else (Snapshot.MISSION, mission.pk)


def recompute(mission, call=None):
    scope, scope_id = scope_key(mission, call)
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


def refresh(scope, scope_id):
    """The worker's side: recompute one snapshot (its scope may have gone)."""
    if scope == Snapshot.CALL:
        call = ChallengeCallPage.objects.filter(pk=scope_id).first()
        if call is not None:
            recompute(call.get_parent().specific, call)
    else:
        mission = MissionPage.objects.filter(pk=scope_id).first()
        if mission is not None:
            recompute(mission)
