"""Who may do what with pilots: `rules` predicates, as in consult/rules.py
and ideas/rules.py. Editing a pilot is the Wagtail admin's page permission
(the mission team's group, consult/roles.py); taking an idea forward into a
pilot is this app's one write outside the admin."""

import rules

from consult.rules import SIGNED_IN, Refusal, is_mission_team, is_site_admin, refuse

is_team = is_site_admin | is_mission_team

rules.add_perm("pilots.take_forward", is_team)
refuse("pilots.take_forward", SIGNED_IN,
       Refusal(is_team, 403, "forbidden", "Only this mission's team can take an idea forward into a pilot."))
