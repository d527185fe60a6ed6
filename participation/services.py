"""The stored dashboard counts: computed on first view, then recomputed by
the background worker when a page finds them older than a minute (one
request per minute per scope, however many people look)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from consult.models import ChallengeCallPage, MissionPage
from inputs.refusals import Refused, require

from .models import Reference, Snapshot
from .references import DEFAULTS
from .selectors import VERSION, counts

REFRESH_SECONDS = 60


def _key(mission, call):
    return (Snapshot.CALL, call.pk) if call is not None else (Snapshot.MISSION, mission.pk)


def recompute(mission, call=None):
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


def snapshot_for(mission, call=None):
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


# The team's references -------------------------------------------------------


def _check_reference(user, mission, dimension):
    require(user, "consult.manage_mission", mission)
    if dimension not in DEFAULTS:
        raise Refused("No such reference.", status=404, code="not_found")


def set_reference(user, mission, dimension, *, shares, against, source):
    """The team replaces what the mission's takers are compared against on
    one dimension: its shares per category, one row each, in one write."""
    _check_reference(user, mission, dimension)
    with transaction.atomic():
        Reference.objects.filter(mission=mission, dimension=dimension).delete()
        Reference.objects.bulk_create([
            Reference(mission=mission, dimension=dimension, category=key, share=share, against=against,
                      source=source)
            for key, share in shares.items()
        ])


def reset_reference(user, mission, dimension):
    """Back to the published figures (participation/references.py)."""
    _check_reference(user, mission, dimension)
    with transaction.atomic():
        Reference.objects.filter(mission=mission, dimension=dimension).delete()
