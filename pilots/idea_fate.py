"""What the idea pages ask the pilots app (registered in ideas/fate.py by
pilots/apps.py): the pilots an idea was taken forward into, and the team's
"Take forward into a pilot" form."""

from consult.rules import can

from . import ledger
from .models import ENDED, PilotIdea, PilotPage
from .selectors import shown_links


def pilots_of_ideas(idea_ids):
    """{idea id: [{"title", "url", "status", "status_label", "ended",
    "lesson", "decision_label"}]} of the shown pilots these ideas were taken
    forward into (ideas/fate.py): one query. A pilot that concluded or
    stopped brings its lesson and decision, so the idea's own page says what
    was learned from it, failures included."""
    found = {}
    links = (shown_links().filter(idea_id__in=idea_ids)
             .select_related("pilot").order_by("linked_at", "pk"))
    for link in links:
        pilot = link.pilot
        ended = pilot.status in ENDED
        found.setdefault(link.idea_id, []).append({
            "id": pilot.pk, "title": pilot.title, "url": pilot.url, "status": pilot.status,
            "decision": pilot.decision, "status_label": pilot.get_status_display(), "ended": ended,
            "lesson": pilot.lesson if ended else "",
            "decision_label": pilot.get_decision_display() if ended and pilot.decision else "",
        })
    return found


def take_forward_tool(user, idea):
    """The context of the team's "Take forward into a pilot" form on an idea
    page, or None for anyone else (ideas/fate.py)."""
    if not can(user, "pilots.take_forward", idea):
        return None
    call = idea.call
    mission_path = call.path[: -call.steplen]
    pilots = list(PilotPage.objects.live().filter(path__startswith=mission_path, depth=call.depth)
                  .order_by("title").only("pk", "title", "status"))
    linked = set(PilotIdea.objects.filter(idea=idea).values_list("pilot_id", flat=True))
    return {"idea": idea, "pilots": [p for p in pilots if p.pk not in linked], "mission_path": mission_path}


def outcome_of(idea, pilots):
    """What became of an idea taken forward into `pilots` (pilots_of_ideas'
    entries), by pilots/ledger.py `outcome`: the rule "you said, we did"
    uses, so the idea page and its card say the same (ideas/fate.py)."""
    key = ledger.outcome(status=idea.status, responded=idea.response_at is not None,
                         pilots=[(p["status"], p["decision"]) for p in pilots])
    return {"key": key, "label": ledger.LABELS[key]}


def pilots_holding(idea):
    """The titles of every pilot the idea was taken forward into, published
    or not: one query (ideas/fate.py `held_by`)."""
    return list(PilotIdea.objects.filter(idea_id=idea.pk).order_by("linked_at", "pk")
                .values_list("pilot__title", flat=True))
