"""Moderation's side of what ideas announces (ideas/signals.py), and the
flags of a deleted contribution (a generic reference has no cascade)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from ideas import kinds
from ideas.signals import held_automatically

from .models import Flag, ModerationAction
from .services import about


@receiver(held_automatically)
def record_automatic_hold(sender, item, mission, why, **kwargs):
    """The audit log records every hold, automatic ones too, in the same
    transaction as the hold itself."""
    ModerationAction.objects.create(
        mission=mission, moderator=None, kind=ModerationAction.Kind.HOLD, **about(item),
        subject=kinds.of(item).author(item), reason_text=f"Automatic: {why}", after={"visibility": item.visibility},
    )


@receiver(post_delete)
def forget_flags(sender, instance, **kwargs):
    """A deleted contribution of any kind takes its flags with it, as the
    foreign keys' cascade did; the audit log keeps its entries (and the id)."""
    if kinds.find(sender) is not None:
        Flag.objects.filter(**about(instance)).delete()
