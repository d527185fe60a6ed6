"""Who may do what with a prize's panel: `rules` predicates, as in
consult/rules.py. The mission's team appoints the panel; an assessor
declares their own conflicts; the stage clock decides who may apply."""

import rules
from django.utils import timezone

from consult.formatting import format_datetime
from consult.rules import SIGNED_IN, Refusal, is_mission_team, is_site_admin, refuse

from . import stages
from .models import Application, PanelMember

is_team = is_site_admin | is_mission_team


@rules.predicate
def is_on_panel(user, prize):
    return bool(user.is_authenticated and prize is not None
                and PanelMember.objects.filter(prize_id=prize.pk, user_id=user.pk).exists())


rules.add_perm("prizes.manage_panel", is_team)
refuse("prizes.manage_panel", SIGNED_IN,
       Refusal(is_team, 403, "forbidden", "Only this mission's team can appoint a prize's panel."))
rules.add_perm("prizes.declare_conflict", is_on_panel)
refuse("prizes.declare_conflict", SIGNED_IN,
       Refusal(is_on_panel, 403, "forbidden", "Only an assessor on this prize's panel can declare a conflict here."))


def clock(prize) -> stages.Position:
    """Where the prize's stages stand now, read once per loaded prize and request."""
    if "_clock" not in prize.__dict__:
        prize.__dict__["_clock"] = stages.position(prize.stages(), timezone.now())
    return prize.__dict__["_clock"]


def open_stage(prize) -> tuple[stages.Stage | None, int | None]:
    """The stage open now and its place (0-based), or (None, None)."""
    found = clock(prize)
    return found.stage, found.index


@rules.predicate
def stage_takes_applications(user, prize):
    """A stage is open now and asks questions; the first takes new
    applications, a later one only those advanced into it."""
    stage, index = open_stage(prize)
    if stage is None or not stage.questions:
        return False
    current = Application.objects.filter(prize_id=prize.pk, applicant_id=user.pk).values_list("stage", flat=True).first()
    return current == stage.id if current is not None else index == 0


def _closed_message(user, prize):
    found = clock(prize)
    if found.stage is not None:
        return f"{found.stage.name} is not taking applications from you: only those invited to it answer its questions."
    if found.coming is not None:
        return f"Applications open with {found.coming.name} on {format_datetime(found.coming.opens)}."
    return "This prize is no longer taking applications."


rules.add_perm("prizes.apply", rules.is_authenticated & stage_takes_applications)
refuse("prizes.apply", SIGNED_IN, Refusal(stage_takes_applications, 409, "stage_closed", _closed_message))
