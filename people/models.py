"""People and organisations as data (issue #16). A profile holds the name a
person is shown by; an organisation is a record people join, not a string
anyone can type, so "on behalf of" means something."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from .choices import NumberKind, OrganisationSize, OrganisationType, Region
from .validation import NAME_MAX, ORG_NAME_MAX

DELETED_NAME = "Deleted account"
ANONYMOUS_NAME = "A participant"


class Profile(models.Model):
    """The public face of an account: its display name. A moderator who
    resets an abusive name leaves `name_reset_at` set, so the person is asked
    to choose again and the reset is visible to other moderators."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    display_name = models.CharField(max_length=NAME_MAX)
    name_reset_at = models.DateTimeField(null=True, blank=True)
    name_reset_reason = models.CharField(max_length=255, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.display_name


class Organisation(models.Model):
    name = models.CharField(max_length=ORG_NAME_MAX)
    slug = models.SlugField(max_length=80, unique=True)
    type = models.CharField(max_length=30, choices=OrganisationType.choices)
    size = models.CharField(max_length=10, choices=OrganisationSize.choices)
    region = models.CharField(max_length=20, choices=Region.choices)
    number_kind = models.CharField(max_length=10, choices=NumberKind.choices, blank=True)
    registered_number = models.CharField(max_length=12, blank=True)
    # A claimed registered number stays "unverified" until a site admin has
    # checked it against the register.
    number_verified_at = models.DateTimeField(null=True, blank=True)
    number_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organisations")

    class Meta:
        ordering = ["name"]
        constraints = [
            # Only a confirmed number is held (people/services.py): a claim
            # stays unverified, so one made first keeps no one out.
            models.UniqueConstraint(
                fields=["number_kind", "registered_number"],
                condition=~models.Q(registered_number="") & models.Q(number_verified_at__isnull=False),
                name="one_organisation_per_confirmed_number",
            )
        ]
        indexes = [models.Index(Lower("name"), name="organisation_name_lower")]

    def __str__(self):
        return self.name

    @property
    def number_verified(self):
        return self.number_verified_at is not None


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships")
    is_admin = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_person")]

    def __str__(self):
        return f"{self.user} in {self.organisation}"


class Invitation(models.Model):
    """An invitation by email. Only a hash of its token is stored, so a
    leaked table cannot be used to join; a link works once, until it
    expires, and not after the invitation is withdrawn."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "email"], name="invitation_lookup")]

    @property
    def is_open(self):
        return self.accepted_at is None and self.withdrawn_at is None
