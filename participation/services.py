"""The stored dashboard counts, written: on first view and by the background
worker (participation/tasks.py) when a page finds them older than a minute
(participation/snapshots.py reads them and asks)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from consult.models import ChallengeCallPage, MissionPage
from inputs.refusals import Refused, require

from .models import Reference, Snapshot
from .references import DEFAULTS
from .selectors import counts


def scope_key(mission: MissionPage, call: ChallengeCallPage | None) -> tuple[str, int]:
    return (Snapshot.CALL, call.pk) if call is not None else (Snapshot.MISSION, mission.pk)


def recompute(mission: MissionPage, call: ChallengeCallPage | None = None) -> tuple[dict, datetime]:
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


# The team's references -------------------------------------------------------


def _check_reference(user, mission, dimension):
    require(user, "consult.manage_mission", mission)
    if dimension not in DEFAULTS:
        raise Refused("No such reference.", status=404, code="not_found")


def set_reference(user: object, mission: MissionPage, dimension: str, *, shares: dict, against: str,
                  source: str) -> None:
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


def reset_reference(user: object, mission: MissionPage, dimension: str) -> None:
    """Back to the published figures (participation/references.py)."""
    _check_reference(user, mission, dimension)
    with transaction.atomic():
        Reference.objects.filter(mission=mission, dimension=dimension).delete()
