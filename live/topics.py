"""Who may subscribe to which topic. Topics name what a page shows:
call:<id>, idea:<id>, moderation:<mission id>, user:<id>."""

import re

# ASCII digits only, anchored at the very end: `\d` also matches other
# scripts' digits and `$` matches before a trailing newline, and either one
# let through a topic the channel layer refuses as a group name.
TOPIC_RE = re.compile(r"^(call|idea|moderation|user):([0-9]{1,12})\Z", re.ASCII)
MAX_TOPIC_LENGTH = len("moderation:") + 12
UNKNOWN_TOPIC = "Unknown topic. Use call:<id>, idea:<id>, moderation:<id> or user:<id>."


class TopicError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def parse_topic(topic):
    """(kind, pk) of a well-formed topic, else TopicError("unknown_topic").

    The one grammar check: the consumer runs it before anything is
    registered in the hub (a topic the layer refuses as a group name used
    to crash the socket half-registered), and authorise() runs it again."""
    if not isinstance(topic, str) or len(topic) > MAX_TOPIC_LENGTH:
        raise TopicError("unknown_topic", UNKNOWN_TOPIC)
    match = TOPIC_RE.match(topic)
    if not match:
        raise TopicError("unknown_topic", UNKNOWN_TOPIC)
    return match.group(1), int(match.group(2))


def authorise(user, topic):
    """Raise TopicError unless this user may follow this topic."""
    from consult.models import ChallengeCallPage, MissionPage
    from ideas.models import Idea

    kind, pk = parse_topic(topic)
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
