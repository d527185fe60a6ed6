"""What the ideas app tells the live app: who may follow a call's or an
idea's topic, and the tally rows a topic carries.

live is a leaf and imports no other project app (live/topics.py says why), so
the apps that own the data register these from their AppConfig.ready():
`register()` is called from ideas/apps.py."""

from consult.models import ChallengeCallPage
from live import events, topics
from live.topics import TopicError

from . import restrictions
from .models import Idea
from .rules import can
from .visibility import public_ideas
from .selectors import tally


def authorise_call(user, pk):
    call = ChallengeCallPage.objects.filter(pk=pk).first()
    if call is None or not can(user, "ideas.view_call", call) or not restrictions.passes(user, call):
        raise TopicError("not_found", "No such call.")


def authorise_idea(user, pk):
    idea = Idea.objects.select_related("call").filter(pk=pk).first()
    if idea is None or not can(user, "ideas.view_idea", idea) or not restrictions.passes(user, idea.call):
        raise TopicError("not_found", "No such idea.")


def read_tallies(topic, idea_ids):
    """The current counts of these ideas, as the topic's subscribers may see
    them: a call's topic only carries its public ideas (an idea hidden since
    the vote drops out); an idea's own topic re-checks its subscribers on
    removal (live/consumers.py)."""
    rows = public_ideas() if topics.kind_of(topic) == topics.CALL else Idea.objects.all()
    rows = rows.filter(pk__in=idea_ids).only("pk", "support_count", "agree_count", "disagree_count", "pass_count")
    return [tally(idea) for idea in rows.order_by("pk")]


def register():
    topics.register_kind(topics.CALL, authorise_call)
    topics.register_kind(topics.IDEA, authorise_idea)
    events.set_tally_reader(read_tallies)
