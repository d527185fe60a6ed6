"""Who may follow a mission's moderation queue live (topic moderation:<mission
id>). The check is consult's permission on consult's model, so consult
registers it with the live app, a leaf that imports no other project app
(live/topics.py says why); `register()` is called from consult/apps.py. It
lives here rather than in the moderation app so the topic works whichever app
serves the queue page."""

from live import topics
from live.topics import TopicError

from .models import MissionPage
from .rules import why_not


def authorise_moderation(user, pk):
    """Through the permission's refusal table, so a signed-out client hears
    the same code as everywhere else."""
    mission = MissionPage.objects.filter(pk=pk).first()
    if mission is None:
        raise TopicError("forbidden", "Only this mission's moderators may follow its queue.")
    reason = why_not(user, "consult.moderate_mission", mission)
    if reason is not None:
        raise TopicError(reason.code, "Only this mission's moderators may follow its queue."
                         if reason.status == 403 else reason.text(user, mission), status=reason.status)


def register():
    topics.register_kind(topics.MODERATION, authorise_moderation)
