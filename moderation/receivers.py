"""Moderation's side of what ideas announces (ideas/signals.py)."""

from django.dispatch import receiver

from ideas.models import Comment, Idea
from ideas.signals import held_automatically

from .models import ModerationAction


@receiver(held_automatically)
def record_automatic_hold(sender, item, mission, why, **kwargs):
    """The audit log records every hold, automatic ones too, in the same
    transaction as the hold itself."""
    ModerationAction.objects.create(
        mission=mission, moderator=None, kind=ModerationAction.Kind.HOLD,
        idea=item if isinstance(item, Idea) else None, comment=item if isinstance(item, Comment) else None,
        subject=item.author, reason_text=f"Automatic: {why}", after={"visibility": item.visibility},
    )
