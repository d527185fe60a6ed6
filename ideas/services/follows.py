"""Following ideas and calls."""

from django.db import transaction

from ..models import (
    Follow,
)
from ..rules import require


def follow(user, *, idea=None, call=None):
    target = idea if idea is not None else call
    require(user, "ideas.follow_idea" if idea is not None else "ideas.follow_call", target)
    with transaction.atomic():
        follow_row, created = Follow.objects.get_or_create(user=user, idea=idea, call=call)
    return follow_row


def unfollow(user, *, idea=None, call=None):
    require(user, "ideas.unfollow", idea if idea is not None else call)
    with transaction.atomic():
        Follow.objects.filter(user=user, idea=idea, call=call).delete()
