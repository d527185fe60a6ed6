"""Who may do what with a prize's panel: `rules` predicates, as in
consult/rules.py. The mission's team appoints the panel; an assessor
declares their own conflicts; the stage clock decides who may apply."""

import rules
from django.utils import timezone

from consult.formatting import format_datetime
from consult.rules import SIGNED_IN, Refusal, is_mission_team, is_site_admin, refuse
from inputs.refusals import why_not
from live.topics import TopicError

from . import selectors, stages
from .assignment import conflicted
from .models import Application, Assignment, PanelMember, PrizeCallPage

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


# --- the panel's work (assessing, the sheet, decisions) -------------------------

def _prize_of(obj):
    return obj if isinstance(obj, PrizeCallPage) else getattr(obj, "prize", None)


@rules.predicate
def is_prize_team(user, obj):
    """The prize's mission team (or a site admin), for a prize or anything of it."""
    prize = _prize_of(obj)
    return prize is not None and is_team(user, prize)


@rules.predicate
def is_chair(user, obj):
    prize = _prize_of(obj)
    return bool(user.is_authenticated and prize is not None and PanelMember.objects.filter(
        prize_id=prize.pk, user_id=user.pk, is_chair=True).exists())


@rules.predicate
def is_assigned(user, application):
    """Assigned to assess the application at the stage it is in."""
    return bool(user.is_authenticated and isinstance(application, Application) and Assignment.objects.filter(
        application_id=application.pk, stage=application.stage, assessor_id=user.pk).exists())


@rules.predicate
def has_conflict(user, application):
    """The assessor declared a conflict with the applicant or their
    organisation, or belongs to it (prizes/assignment.py decides)."""
    if not (user.is_authenticated and isinstance(application, Application)):
        return False
    member = selectors.assessor(application.prize_id, user.pk)
    return member is not None and conflicted(member, selectors.as_plain(application))


rules.add_perm("prizes.assign", is_prize_team)
refuse("prizes.assign", SIGNED_IN,
       Refusal(is_prize_team, 403, "forbidden", "Only this mission's team can assign applications to assessors."))
rules.add_perm("prizes.reassign", is_chair | is_prize_team)
refuse("prizes.reassign", SIGNED_IN,
       Refusal(is_chair | is_prize_team, 403, "forbidden", "Only the panel's chair can reassign an application."))
rules.add_perm("prizes.view_sheet", is_chair | is_prize_team)
refuse("prizes.view_sheet", SIGNED_IN,
       Refusal(is_chair | is_prize_team, 403, "forbidden", "Only the panel's chair and the mission's team see the panel sheet."))
rules.add_perm("prizes.moderate_score", is_chair)
refuse("prizes.moderate_score", SIGNED_IN,
       Refusal(is_chair, 403, "forbidden", "Only the panel's chair can moderate a score."))
rules.add_perm("prizes.decide", is_prize_team)
refuse("prizes.decide", SIGNED_IN,
       Refusal(is_prize_team, 403, "forbidden", "Only this mission's team can shortlist, advance and award."))
# An application an assessor may not assess is not there for them (404),
# whether never assigned or declared a conflict with since.
rules.add_perm("prizes.assess", is_assigned & ~has_conflict)
refuse("prizes.assess", SIGNED_IN,
       Refusal(is_assigned & ~has_conflict, 404, "not_found", "No such application."))


# --- live: who may follow a prize's panel sheet (sheet:<prize id>) --------------

def authorise_sheet(user, pk: int) -> None:
    """Those who see the panel sheet (`prizes.view_sheet`) may follow it
    live; registered with live (a leaf) in prizes/apps.py. Through the
    permission's refusal table, so a signed-out client hears the same code
    as everywhere else."""
    prize = PrizeCallPage.objects.filter(pk=pk).first()
    if prize is None:
        raise TopicError("not_found", "No such prize.", status=404)
    reason = why_not(user, "prizes.view_sheet", prize)
    if reason is not None:
        raise TopicError(reason.code, reason.text(user, prize), status=reason.status)


# --- applications' files (prizes/file_views.py) -----------------------------------
# Asked of the application a file belongs to. Anyone else gets 404: a file
# they may not see is not there for them, whoever they are.

@rules.predicate
def is_applicant(user, application):
    return bool(user.is_authenticated and isinstance(application, Application)
                and application.applicant_id == user.pk)


@rules.predicate
def is_blind_prize(user, application):
    return isinstance(application, Application) and application.prize.blind


rules.add_perm("prizes.view_file", is_applicant | is_prize_team | (is_assigned & ~has_conflict))
refuse("prizes.view_file", SIGNED_IN,
       Refusal(is_applicant | is_prize_team | (is_assigned & ~has_conflict), 404, "not_found", "No such file."))
# Blind assessment: assessors download "attachment-2.pdf", never the name
# the applicant gave it (which may name them or their organisation).
rules.add_perm("prizes.view_file_name", is_applicant | is_prize_team | ~is_blind_prize)
