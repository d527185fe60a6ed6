"""Reads of people and organisations, as plain functions of plain values."""

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from .models import Invitation, Membership, Organisation

# select_related path that makes `names.display_name(row.author)` free.
PROFILE = "author__profile"


def organisations_of(user: User | AnonymousUser) -> list[Organisation]:
    """The organisations a person may post for, in name order."""
    if not user.is_authenticated:
        return []
    return list(Organisation.objects.filter(memberships__user=user).order_by("name"))


def memberships_of(user: User | AnonymousUser) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name"))


def members(organisation: Organisation) -> list[Membership]:
    return list(
        Membership.objects.filter(organisation=organisation).select_related("user__profile").order_by("-is_admin", "joined_at")
    )


def open_invitations(organisation: Organisation) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at")
    )


def unverified_numbers() -> list[Organisation]:
    """Organisations whose claimed registered number a site admin has not yet checked."""
    return list(
        Organisation.objects.exclude(registered_number="").filter(number_verified_at__isnull=True).order_by("created_at")
    )
