"""Telling people when a published pilot starts, reports a result and
concludes or stops (issue #18). Wagtail sends `page_published` for every
publish (the admin, a scheduled publish, a script); each event is recorded
once in PilotAnnouncement, so publishing again, or publishing an older
revision, never tells anyone twice."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from . import announce
from .models import ENDED, STARTED, PilotAnnouncement, PilotPage


def _first_time(pilot, kind, key=""):
    """Record the event; False if another publish recorded it first (the
    unique row decides, so two publishes at once tell people once)."""
    try:
        with transaction.atomic():
            PilotAnnouncement.objects.create(pilot=pilot, kind=kind, key=key)
    except IntegrityError:
        return False
    return True


def _result_key(result):
    """The same result gives the same key however its value was loaded (a
    revision's "22.5" and the database's 22.50)."""
    return f"{result.date.isoformat()}|{Decimal(result.value).normalize():f}"[:80]


def announce_pilot(pilot, actor=None):
    """Record and tell what is new about this published pilot. The events
    already told are read in one query, so a republished pilot with many
    results writes only for what is new."""
    told = set(PilotAnnouncement.objects.filter(pilot=pilot).values_list("kind", "key"))

    def new(kind, key=""):
        return (kind, key) not in told and _first_time(pilot, kind, key)

    if pilot.status in STARTED and new(PilotAnnouncement.STARTED):
        announce.tell_pilot_people(pilot, f"The pilot “{pilot.title}”, which tests an idea you follow, has started",
                                   pilot.hypothesis or pilot.summary, actor)
    for result in pilot.results.all():
        if new(PilotAnnouncement.RESULT, _result_key(result)):
            unit = pilot.unit or ""
            announce.tell_pilot_people(
                pilot, f"New result from the pilot “{pilot.title}”: {result.value.normalize():f}{'' if unit == '%' else ' '}{unit}".rstrip(),
                result.commentary, actor,
            )
    if pilot.status in ENDED and new(PilotAnnouncement.ENDED):
        verb = "has concluded" if pilot.status == "concluded" else "has stopped"
        announce.tell_pilot_people(pilot, f"The pilot “{pilot.title}” {verb}: what we learned",
                                   pilot.lesson, actor)


@receiver(page_published)
def _published(sender, instance, revision=None, **kwargs):
    if not isinstance(instance, PilotPage):
        return
    actor = getattr(revision, "user", None) if revision is not None else None
    announce_pilot(instance, actor)
