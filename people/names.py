"""The one place a person's name for the public is decided: their display
name, "A participant" for a contribution posted without a name, "Deleted
account" once the account is gone. Callers select `author__profile` with
the rows (people/selectors.py: PROFILE) so a list costs no extra query."""

from django.core.exceptions import ObjectDoesNotExist

from .models import ANONYMOUS_NAME, DELETED_NAME


def _profile(user):
    """The loaded profile, or None (an account made in bulk, e.g. by an import, has none)."""
    try:
        return user.profile
    except (ObjectDoesNotExist, AttributeError):
        return None


def display_name(user):
    if user is None:
        return DELETED_NAME
    profile = _profile(user)
    if profile is None:
        return ANONYMOUS_NAME
    if profile.deleted_at is not None:
        return DELETED_NAME
    return profile.display_name


def byline(item):
    """The name shown on an idea or a comment: anonymous contributions show
    no name to anyone (the author and staff see their own pages)."""
    if getattr(item, "anonymous", False):
        return ANONYMOUS_NAME
    return display_name(getattr(item, "author", None))


def placeholder_name(user):
    """The name an account has until its owner chooses one (accounts made by
    single sign-on, the admin or an import): never derived from the email,
    which people do not expect to be shown."""
    full = " ".join(f"{user.first_name} {user.last_name}".split())
    return full[:60] if len(full) >= 2 else f"Participant {user.pk}"
