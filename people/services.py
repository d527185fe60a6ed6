"""Writes to profiles, organisations, memberships and invitations. Each
checks permission through people/rules.py, writes in one transaction and
sends mail only after the commit, from the background worker
(people/tasks.py). Plain values in, never the request."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.contrib.auth.models import AnonymousUser, User

from inputs.refusals import SIGNED_OUT_CODE, Refused, require

from . import data_rights, tasks, validation
from .choices import OrganisationSize, OrganisationType, Region
from .models import Invitation, Membership, Organisation, Profile
from .names import placeholder_name

INVITATION_DAYS = 14


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Profiles -----------------------------------------------------------------

def ensure_profile(user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"display_name": placeholder_name(user)})
    return profile


def set_display_name(user: User, name: str) -> str:
    name = validation.display_name(name)
    with transaction.atomic():
        Profile.objects.update_or_create(
            user=user, defaults={"display_name": name, "name_reset_at": None, "name_reset_reason": ""}
        )
    return name


def reset_display_name(actor: User | AnonymousUser, user: User, reason: str) -> Profile:
    """A moderator replaces an abusive name; the person is asked to choose
    another the next time they contribute."""
    require(actor, "people.reset_display_name")
    reason = " ".join((reason or "").split())
    if not reason:
        raise Refused("Say why the name is being reset.", field="reason", code="required")
    with transaction.atomic():
        profile = ensure_profile(user)
        profile.display_name = f"Participant {user.pk}"
        profile.name_reset_at = timezone.now()
        profile.name_reset_reason = reason[:255]
        profile.save(update_fields=["display_name", "name_reset_at", "name_reset_reason", "updated_at"])
    return profile


# Organisations --------------------------------------------------------------

def _clean_organisation(name, type, size, region, number_kind, registered_number):
    return {
        "name": validation.organisation_name(name),
        "type": validation.choice(type, OrganisationType, "type", "type"),
        "size": validation.choice(size, OrganisationSize, "size", "size"),
        "region": validation.choice(region, Region, "region", "region"),
        **dict(zip(("number_kind", "registered_number"), validation.registered_number(number_kind, registered_number))),
    }


# Addresses under /organisations/ that are pages, not organisations.
RESERVED_SLUGS = {"new", "join"}


def _unique_slug(name):
    base = slugify(name)[:70].strip("-") or "organisation"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


NUMBER_TAKEN = (
    "An organisation with this number is already registered and confirmed here. Ask one of its admins to "
    "invite you."
)


def _number_confirmed_elsewhere(fields, organisation=None):
    """Only a confirmed number is held: anyone may claim a number (it stays
    unverified), so a claim made first cannot keep the genuine organisation
    out. Once a site admin confirms one organisation's number, no other may
    claim or be confirmed with it (the database's constraint says the same)."""
    if not fields["registered_number"]:
        return False
    taken = Organisation.objects.filter(
        number_kind=fields["number_kind"], registered_number=fields["registered_number"],
        number_verified_at__isnull=False,
    )
    if organisation is not None:
        taken = taken.exclude(pk=organisation.pk)
    return taken.exists()


def create_organisation(user: User | AnonymousUser, *, name: str, type: str, size: str, region: str,
                        number_kind: str = "", registered_number: str = "") -> Organisation:
    """The person who creates an organisation is its first admin."""
    if not user.is_authenticated:
        raise Refused("Sign in to add an organisation.", status=401, code=SIGNED_OUT_CODE)
    fields = _clean_organisation(name, type, size, region, number_kind, registered_number)
    if _number_confirmed_elsewhere(fields):
        raise Refused(NUMBER_TAKEN, field="registered_number", code="taken")
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(slug=_unique_slug(fields["name"]), created_by=user, **fields)
            Membership.objects.create(organisation=organisation, user=user, is_admin=True)
    except IntegrityError:
        raise Refused(NUMBER_TAKEN, field="registered_number", code="taken") from None
    return organisation


def update_organisation(actor: User | AnonymousUser, organisation: Organisation, *, name: str, type: str,
                        size: str, region: str, number_kind: str = "", registered_number: str = "") -> Organisation:
    require(actor, "people.manage_organisation", organisation)
    fields = _clean_organisation(name, type, size, region, number_kind, registered_number)
    number_changed = (fields["number_kind"], fields["registered_number"]) != (
        organisation.number_kind, organisation.registered_number
    )
    if number_changed and _number_confirmed_elsewhere(fields, organisation):
        raise Refused(NUMBER_TAKEN, field="registered_number", code="taken")
    for key, value in fields.items():
        setattr(organisation, key, value)
    if number_changed:  # a new claim is unverified until checked again
        organisation.number_verified_at = None
        organisation.number_verified_by = None
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        organisation.refresh_from_db()
        raise Refused(NUMBER_TAKEN, field="registered_number", code="taken") from None
    return organisation


def verify_number(actor: User | AnonymousUser, organisation: Organisation) -> Organisation:
    require(actor, "people.verify_number")
    if not organisation.registered_number:
        raise Refused("This organisation has not given a registered number.", code="no_number")
    held = Organisation.objects.filter(
        number_kind=organisation.number_kind, registered_number=organisation.registered_number,
        number_verified_at__isnull=False,
    ).exclude(pk=organisation.pk).first()
    if held is not None:
        raise Refused(f"This number is already confirmed for {held.name}. Only one organisation can hold it: "
                      "this one's claim stays unverified.", status=409, code="taken")
    try:
        with transaction.atomic():
            Organisation.objects.filter(pk=organisation.pk).update(number_verified_at=timezone.now(),
                                                                   number_verified_by=actor)
    except IntegrityError:  # confirmed for another at the same moment
        raise Refused("This number has just been confirmed for another organisation.", status=409,
                      code="taken") from None
    organisation.refresh_from_db()
    return organisation


# Members and invitations -------------------------------------------------------

def _emails_of(user):
    """Every address on the account, confirmed or not (to find what is
    held about the person)."""
    addresses = {a.lower() for a in EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    if user.email:
        addresses.add(user.email.lower())
    return addresses


def _confirmed_emails_of(user):
    """The addresses the person has shown they receive mail at: only these
    accept an invitation (anyone can add an address to their account)."""
    return {a.lower() for a in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)}


def invite(actor: User | AnonymousUser, organisation: Organisation, email: str) -> tuple[Invitation, str]:
    """Returns the invitation and its token (the link is mailed after the
    commit; the token itself is never stored). A new invitation to the same
    address replaces any open one, so only the newest link works."""
    require(actor, "people.manage_organisation", organisation)
    email = validation.email(email)
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise Refused(f"{email} is already a member of {organisation.name}.", field="email", code="already_member")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            organisation=organisation, email__iexact=email, accepted_at__isnull=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, token_hash=token_hash(token), invited_by=actor,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        transaction.on_commit(lambda: tasks.send_invitation(invitation.pk, token))
    return invitation, token


def withdraw_invitation(actor: User | AnonymousUser, invitation: Invitation) -> None:
    require(actor, "people.manage_organisation", invitation.organisation)
    if not invitation.is_open:
        raise Refused("This invitation has already been used or withdrawn.", code="closed")
    Invitation.objects.filter(pk=invitation.pk).update(withdrawn_at=timezone.now())


def invitation_for(token: str | None) -> Invitation:
    """The invitation a link's token names, or a Refused saying what is
    wrong with the link."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=token_hash(token or "")).first()
    )
    if invitation is None:
        raise Refused("This invitation link is not valid. Check it was copied in full, or ask the "
                      "organisation's admin to invite you again.", status=404, code="not_found")
    if invitation.accepted_at is not None:
        raise Refused("This invitation has already been used.", status=409, code="used")
    if invitation.withdrawn_at is not None:
        raise Refused("This invitation was withdrawn. Ask the organisation's admin for a new one.",
                      status=409, code="withdrawn")
    if invitation.expires_at <= timezone.now():
        raise Refused("This invitation link has expired. Ask the organisation's admin to send a new one.",
                      status=410, code="expired")
    return invitation


def accept_invitation(user: User | AnonymousUser, token: str | None) -> Organisation:
    if not user.is_authenticated:
        raise Refused("Sign in to accept the invitation.", status=401, code=SIGNED_OUT_CODE)
    with transaction.atomic():
        invitation = invitation_for(token)
        invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise Refused("This invitation has already been used.", status=409, code="used")
        organisation = invitation.organisation
        invited = invitation.email.lower()
        if invited not in _confirmed_emails_of(user):
            shown = validation.masked_email(invitation.email)
            if invited in _emails_of(user):
                raise Refused(f"This invitation was sent to {shown}, which you have not confirmed yet. Follow "
                              "the link we emailed to that address (or ask for a new one under “Email "
                              "addresses” in your account), then accept the invitation.",
                              status=403, code="unconfirmed")
            raise Refused(f"This invitation was sent to {shown}. Sign in with that email address to accept it.",
                          status=403, code="wrong_account")
        if Membership.objects.filter(organisation=organisation, user=user).exists():
            raise Refused(f"You are already a member of {organisation.name}.", status=409, code="already_member")
        Membership.objects.create(organisation=organisation, user=user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return organisation


def remove_member(actor: User | AnonymousUser, organisation: Organisation, user: User) -> None:
    """An admin removes a member, or a member leaves. The last admin cannot
    leave an organisation without admins."""
    if actor.pk != user.pk:
        require(actor, "people.manage_organisation", organisation)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(organisation=organisation, user=user).first()
        if membership is None:
            raise Refused("That person is not a member of this organisation.", status=404, code="not_member")
        if membership.is_admin and not Membership.objects.filter(
            organisation=organisation, is_admin=True
        ).exclude(pk=membership.pk).exists():
            raise Refused("An organisation needs at least one admin. Make another member an admin first.",
                          status=409, code="last_admin")
        membership.delete()


def set_admin(actor: User | AnonymousUser, organisation: Organisation, user: User, is_admin: bool) -> None:
    require(actor, "people.manage_organisation", organisation)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(organisation=organisation, user=user).first()
        if membership is None:
            raise Refused("That person is not a member of this organisation.", status=404, code="not_member")
        if not is_admin and membership.is_admin and not Membership.objects.filter(
            organisation=organisation, is_admin=True
        ).exclude(pk=membership.pk).exists():
            raise Refused("An organisation needs at least one admin.", status=409, code="last_admin")
        membership.is_admin = is_admin
        membership.save(update_fields=["is_admin"])


# The account itself (people/data_rights.py runs this last) -------------------

def _profile_rows(user):
    profile = ensure_profile(user)
    yield {
        "display_name": profile.display_name, "email": user.email, "date_joined": user.date_joined,
        "last_login": user.last_login, "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }


def _membership_rows(user):
    for m in Membership.objects.filter(user=user).select_related("organisation").order_by("pk"):
        o = m.organisation
        yield {"organisation": o.name, "slug": o.slug, "type": o.type, "size": o.size, "region": o.region,
               "registered_number": o.registered_number, "role": "admin" if m.is_admin else "member",
               "joined_at": m.joined_at, "created_by_you": o.created_by_id == user.pk}


def _invitation_rows(user):
    for i in Invitation.objects.filter(invited_by=user).select_related("organisation").order_by("pk"):
        yield {"organisation": i.organisation.name, "email": i.email, "created_at": i.created_at,
               "accepted": i.accepted_at is not None, "withdrawn": i.withdrawn_at is not None}


def _invitations_to(user):
    """Invitations sent to an address the person has confirmed, or accepted
    by them. Not to an address merely typed into their account: that may be
    someone else's, whose invitations are not theirs to see or erase."""
    to_address = Q()
    for address in _confirmed_emails_of(user):
        to_address |= Q(email__iexact=address)
    return Invitation.objects.filter(to_address | Q(accepted_by=user))


def _received_invitation_rows(user):
    for i in _invitations_to(user).select_related("organisation").order_by("pk"):
        yield {"organisation": i.organisation.name, "email": i.email, "created_at": i.created_at,
               "expires_at": i.expires_at, "accepted_at": i.accepted_at,
               "withdrawn": i.withdrawn_at is not None}


def _erase_received_invitations(user, remove_contributions):
    """An invitation holds the invited address and who accepted it: both the
    person's, so the rows go (the organisation keeps its members list)."""
    _invitations_to(user).delete()


def _social_rows(user):
    for account in SocialAccount.objects.filter(user=user).order_by("pk"):
        yield {"provider": account.provider, "uid": account.uid, "date_joined": account.date_joined}


def _leave_organisations(user, remove_contributions):
    """An organisation keeps working without the person: if they were its
    only admin, its longest-standing member becomes admin."""
    for membership in Membership.objects.select_for_update().filter(user=user).select_related("organisation"):
        organisation = membership.organisation
        membership.delete()
        others = Membership.objects.filter(organisation=organisation)
        if not others.filter(is_admin=True).exists():
            successor = others.order_by("joined_at", "pk").first()
            if successor is not None:
                others.filter(pk=successor.pk).update(is_admin=True)
    Organisation.objects.filter(created_by=user).update(created_by=None)
    Invitation.objects.filter(invited_by=user).update(invited_by=None)


def _anonymise_account(user, remove_contributions):
    """The row stays (so votes, flags and audit entries keep pointing at
    one account and every count stays exact) but nothing in it is personal
    any more, and it can never sign in again."""
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Profile.objects.update_or_create(user=user, defaults={
        "display_name": "", "deleted_at": timezone.now(), "name_reset_at": None, "name_reset_reason": "",
    })
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    # Signed in elsewhere: the new password hash ends every session (Django
    # checks it on each request), and inactive accounts cannot sign in again.
    user.set_unusable_password()
    user.save()


def register_data_rights() -> None:
    data_rights.register("profile", _profile_rows, order=0)
    data_rights.register("organisations", _membership_rows, _leave_organisations, order=10)
    data_rights.register("invitations_sent", _invitation_rows, order=11)
    data_rights.register("invitations_received", _received_invitation_rows, _erase_received_invitations, order=11)
    data_rights.register("sign_in_services", _social_rows, order=12)
    # Last: the account's own row, once every app has done its part.
    data_rights.register("account", lambda user: (), _anonymise_account, order=1000)
