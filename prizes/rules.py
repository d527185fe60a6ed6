"""Who may do what with a prize's panel: `rules` predicates, as in
consult/rules.py. The mission's team appoints the panel; an assessor
declares their own conflicts."""

import rules

from consult.rules import SIGNED_IN, Refusal, is_mission_team, is_site_admin, refuse

from .models import PanelMember

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
