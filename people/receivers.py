"""Every account has a profile from the moment it exists, whoever made it
(sign-up, single sign-on, the admin, an import), so names never need a
fallback query."""

from django.conf import settings
from django.db.models.signals import post_save

from .services import ensure_profile


def _make_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_profile(instance)


def connect():
    post_save.connect(_make_profile, sender=settings.AUTH_USER_MODEL, dispatch_uid="people.make_profile")
