"""Who may subscribe to which topic. Topics name what a page shows:
call:<id>, idea:<id>, moderation:<mission id>, user:<id>."""

import re

TOPIC_RE = re.compile(r"^(call|idea|moderation|user):(\d{1,12})$")


class TopicError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def authorise(user, topic):
    """Raise TopicError unless this user may follow this topic."""
    from consult.models import ChallengeCallPage, MissionPage
    from ideas.models import Idea

    match = TOPIC_RE.match(topic or "")
    if not match:
        raise TopicError("unknown_topic", "Unknown topic. Use call:<id>, idea:<id>, moderation:<id> or user:<id>.")
    kind, pk = match.group(1), int(match.group(2))
    if kind == "call":
        call = ChallengeCallPage.objects.filter(pk=pk).first()
        if call is None or not user.has_perm("ideas.view_call", call):
            raise TopicError("not_found", "No such call.")
    elif kind == "idea":
        idea = Idea.objects.select_related("call").filter(pk=pk).first()
        if idea is None or not user.has_perm("ideas.view_idea", idea):
            raise TopicError("not_found", "No such idea.")
    elif kind == "moderation":
        mission = MissionPage.objects.filter(pk=pk).first()
        if mission is None or not user.has_perm("consult.moderate_mission", mission):
            raise TopicError("forbidden", "Only this mission's moderators may follow its queue.")
    elif kind == "user":
        if not user.is_authenticated or user.pk != pk:
            raise TopicError("forbidden", "You may only follow your own notifications.")
    return kind, pk
