"""What ideas announces to the apps above it, which it may not import."""

from django.db import transaction
from django.dispatch import Signal

# An idea or comment went to the moderation queue by automatic screening
# (a blocked term, a new account's link). Sent inside the write's
# transaction with item=, mission= and why= (the reason in words).
held_automatically = Signal()

# What the opinion map of a call is computed from changed: a vote was cast,
# changed or withdrawn, a Pol.is conversation was imported, an idea was
# marked (or unmarked) as a statement about the participant, or a moderator
# hid or restored an idea, so its votes leave or rejoin the map
# (moderation/services.py). Sent after the commit, with call_id= and at_once=
# (False for votes and moderation, which the receiver debounces to one
# recomputation a minute per call; True for the rare staff
# actions, whose effect should show at once). The opinions app, above ideas,
# receives it (opinions/receivers.py). Sent with send_robust: a receiver that
# fails (the task queue is down) is logged and never undoes the write.
votes_changed = Signal()


def votes_changed_on_commit(call_id, *, at_once=False, sender=None):
    """Send votes_changed once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: votes_changed.send_robust(sender=sender, call_id=call_id, at_once=at_once))
