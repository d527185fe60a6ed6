"""The writes of the pilots app outside the Wagtail admin: taking an idea
forward into a pilot. Check → write in one transaction → tell people after
the commit (the styleguide in DEVELOPERS.md)."""

from django.db import IntegrityError, transaction
from django.contrib.auth.models import AnonymousUser, User

from inputs.refusals import Refused, require
from ideas.models import Idea, IdeaStatus
from ideas.services.submissions import set_idea_status
from ideas.validation import parse_id
from ideas.visibility import is_public_idea

from . import announce
from .models import PilotIdea, PilotPage

NOTE_MAX = 4000


def take_forward(user: User | AnonymousUser, idea: Idea, pilot_id: int | str, note: str = "") -> PilotIdea:
    """Link a public idea to one of its mission's pilots and mark it taken
    forward; its author and followers are told which pilot (an idea already
    taken forward may feed a second pilot: they are told again)."""
    require(user, "pilots.take_forward", idea)
    note = (note or "").replace("\x00", "").strip()
    if len(note) > NOTE_MAX:
        raise Refused(f"Say why in at most {NOTE_MAX:,} characters.", field="note", code="too_long")
    if not is_public_idea(idea):
        raise Refused("Only a published idea can be taken forward.", status=409, code="not_public")
    mission_path = idea.call.path[: -idea.call.steplen]
    pilot = None
    pilot_pk = pilot_id if isinstance(pilot_id, int) else parse_id(str(pilot_id or ""))
    if pilot_pk is not None:
        pilot = PilotPage.objects.filter(pk=pilot_pk, path__startswith=mission_path,
                                         depth=len(mission_path) // PilotPage.steplen + 1).first()
    if pilot is None:
        raise Refused("Choose one of this mission's pilots.", field="pilot", code="invalid_choice")
    if not pilot.live:
        raise Refused("That pilot is not published yet: publish it first, so people can follow it.",
                          field="pilot", code="not_published", status=409)
    with transaction.atomic():
        try:
            with transaction.atomic():
                link = PilotIdea.objects.create(pilot=pilot, idea=idea, note=note, linked_by=user)
        except IntegrityError:
            raise Refused(f"This idea is already taken forward into “{pilot.title}”.", field="pilot",
                              code="duplicate", status=409) from None
        what = f"Taken forward into the pilot “{pilot.title}”"
        current = Idea.objects.select_for_update().values_list("status", flat=True).get(pk=idea.pk)
        if current != IdeaStatus.TAKEN_FORWARD:
            set_idea_status(user, idea, IdeaStatus.TAKEN_FORWARD, pilot_named=True,
                            announce=(what, note or pilot.summary or None))
            announce.tell_author_if_not_following(idea, what, note or pilot.summary, pilot.url, user)
        else:
            announce.tell_idea_people([idea], what, note or pilot.summary, pilot.url, actor=user)
    return link
