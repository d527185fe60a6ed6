"""Personal API tokens."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.contrib.auth.models import AnonymousUser, User

from ..models import (
    ApiToken,
)
from ..rules import require
from .base import _text


def create_api_token(user: User | AnonymousUser, name: str) -> tuple[ApiToken, str]:
    name = _text(name, "name", "a name for the token", 80)
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), key_hint=key[-4:])
    return token, key


def revoke_api_token(user: User | AnonymousUser, token: ApiToken) -> None:
    require(user, "ideas.revoke_token", token)
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


TOKEN_USE_RESOLUTION = timedelta(minutes=10)


def note_token_use(token: ApiToken) -> None:
    """Record when a token was last used, to the nearest ten minutes.

    The account page shows the day; writing on every API call would make
    each read a write, and on SQLite every vote would queue twice for the
    database's one write lock."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
