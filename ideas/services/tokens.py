"""Personal API tokens."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.contrib.auth.models import AnonymousUser, User

from inputs.refusals import Refused, require

from ..models import (
    ApiToken,
)
from .base import _lock_user, clean_text


def create_api_token(user: User | AnonymousUser, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`, and its key (shown once). Refused with 409
    while they hold settings.API_TOKEN_LIMIT unrevoked tokens; the check and
    the write hold the person's row, so two requests at once cannot both
    pass the last place."""
    name = clean_text(name, "name", "a name for the token", 80)
    key = ApiToken.new_key()
    limit = settings.API_TOKEN_LIMIT
    with transaction.atomic():
        _lock_user(user)
        if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= limit:
            raise Refused(f"You have {limit} API tokens, the most one person may hold. "
                              "Revoke one you no longer use to create another.",
                              field="name", status=409, code="too_many_tokens")
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
