"""Statements about the participant: the team marks an idea as one ("I am
under 25", "I identify as female"; Pol.is calls these meta statements).

Such an idea is not an opinion, so the opinion map (issue #15) leaves it out
of the groups, the consensus and "divided", and shows it instead as who took
part, group by group. Marking changes the map's inputs, so it asks for the
map to be recomputed at once (ideas/signals.py: votes_changed), after the
commit."""

from django.db import transaction
from django.contrib.auth.models import AnonymousUser, User

from inputs.refusals import require

from ..models import Idea
from ..signals import votes_changed_on_commit
from .base import _lock_idea


def mark_about_participant(user: User | AnonymousUser, idea: Idea, value: bool = True) -> Idea:
    """Mark (value True) or unmark an idea as a statement about the participant.

    The mission's team, its moderators and site admins may, in any phase: an
    imported, closed Pol.is conversation is where it matters most. Marking an
    idea that is already so changes nothing and recomputes nothing."""
    require(user, "ideas.mark_about_participant", idea)
    value = bool(value)
    with transaction.atomic():
        idea = _lock_idea(idea)
        if idea.about_participant == value:
            return idea
        idea.about_participant = value
        fields = ["about_participant"]
        if value:
            # Out of the consensus from now, not from the next map.
            idea.consensus = None
            fields.append("consensus")
        idea.save(update_fields=fields)
        votes_changed_on_commit(idea.call_id, at_once=True, sender=Idea)
    return idea
