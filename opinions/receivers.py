"""What the opinions app does when ideas tells it something (ideas/signals.py):
ideas sits below opinions and may not import it (docs/architecture.md)."""

from ideas.signals import votes_changed

from .tasks import request_recompute


def on_votes_changed(sender, call_id, at_once=False, **kwargs):
    """Sent after the commit: a vote, a Pol.is import, or a statement marked
    as one about the participant changed what the call's map is made of."""
    request_recompute(call_id, at_once=at_once)


def connect():
    votes_changed.connect(on_votes_changed, dispatch_uid="opinions.votes_changed")
