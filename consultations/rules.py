"""Who may answer a consultation: the `consultations.respond` rule and its
refusal table (inputs/refusals.py). The phase clock first (before it opens
or after it closes, 409 naming the date), then an account unless the team
allows responses without one."""

import rules
from django.utils import timezone

from consult.formatting import format_datetime
from consult.rules import SIGNED_IN, is_mission_moderator, is_mission_team, is_site_admin
from inputs.refusals import SIGNED_OUT_CODE, Refusal, refuse

from .models import ConsultationPage


@rules.predicate
def is_open(user, consultation):
    return isinstance(consultation, ConsultationPage) and consultation.is_open()


@rules.predicate
def allows_without_account(user, consultation):
    return isinstance(consultation, ConsultationPage) and consultation.allow_without_account


def closed_message(user, consultation) -> str:
    """Why the consultation takes no response now, naming the date."""
    if not isinstance(consultation, ConsultationPage):
        return "This consultation is not taking responses."
    if timezone.now() < consultation.opens:
        return f"This consultation opens on {format_datetime(consultation.opens)}."
    return f"This consultation closed on {format_datetime(consultation.closes)}: it no longer takes responses."


rules.add_perm("consultations.respond", is_open & (rules.is_authenticated | allows_without_account))
refuse("consultations.respond",
       Refusal(is_open, 409, "consultation_closed", closed_message),
       Refusal(rules.is_authenticated | allows_without_account, 401, SIGNED_OUT_CODE,
               "Sign in to respond to this consultation."))


# --- the team's analysis (consultations/analysis_views.py) ------------------------

is_consultation_team = is_site_admin | is_mission_team

rules.add_perm("consultations.analyse", is_consultation_team)
refuse("consultations.analyse", SIGNED_IN,
       Refusal(is_consultation_team, 403, "forbidden", "Only this mission's team can see the analysis of its consultation."))


# --- the published response and published responses (consultations/published_views.py) ---

may_moderate_responses = is_consultation_team | is_mission_moderator

rules.add_perm("consultations.moderate_responses", may_moderate_responses)
refuse("consultations.moderate_responses", SIGNED_IN,
       Refusal(may_moderate_responses, 403, "forbidden",
               "Only this mission's team and moderators can moderate the responses to its consultation."))
