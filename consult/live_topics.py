"""Who may follow a mission's moderation queue live (topic moderation:<mission
id>). The check is consult's permission on consult's model, so consult
registers it with the live app, a leaf that imports no other project app
(live/topics.py says why); `register()` is called from consult/apps.py. It
lives here rather than in the moderation app so the topic works whichever app
serves the queue page."""

from live import topics
from live.topics import TopicError

from .models import MissionPage
from .rules import can


def authorise_moderation(user, pk):
    mission = MissionPage.objects.filter(pk=pk).first()
    if mission is None or not can(user, "consult.moderate_mission", mission):
        raise TopicError("forbidden", "Only this mission's moderators may follow its queue.")


def register():
    topics.register_kind(topics.MODERATION, authorise_moderation)
