"""What a person was told, and how each person wants to be told.

A notification stores its own title, excerpt and link (a path on this site),
so the list, the emails and the digests render it without reading any other
app's tables: the idea may since have changed or gone, the notification
says what happened when it happened."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    REPLY = "reply", "Replies to me"
    FOLLOWED = "followed", "Activity on things I follow"
    STATUS = "status", "Status changes and team responses"
    MODERATION = "moderation", "Moderation decisions about my posts"
    TEAM = "team", "Alerts for mission teams and moderators"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me at once"
    DAILY = "daily", "Email me a daily digest"
    WEEKLY = "weekly", "Email me a weekly digest"
    OFF = "off", "Do not email me"


# What a person who never changed their settings gets: replies, decisions
# about their own posts and their ideas' status at once; activity on what
# they follow once a day (one email per comment was the complaint, #16).
DEFAULT_DELIVERY = {
    Kind.REPLY: Delivery.IMMEDIATE,
    Kind.FOLLOWED: Delivery.DAILY,
    Kind.STATUS: Delivery.IMMEDIATE,
    Kind.MODERATION: Delivery.IMMEDIATE,
    Kind.TEAM: Delivery.IMMEDIATE,
}

TITLE_MAX = 200
EXCERPT_MAX = 1000
LINK_MAX = 500


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=TITLE_MAX)
    excerpt = models.CharField(max_length=EXCERPT_MAX, blank=True)
    link = models.CharField(max_length=LINK_MAX, blank=True, help_text="A path on this site, such as /ideas/4/.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for the next daily or weekly digest (its kind's delivery then decides which).
    digest_pending = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The list, newest first, one person's rows only.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            # The header's unread count: a partial index over unread rows only.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            # The digests' work list.
            models.Index(fields=["recipient"], condition=Q(digest_pending=True), name="notification_digest"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class NotificationSetting(models.Model):
    """One person's delivery for one kind; a kind without a row has its default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=20, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_setting_once")]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"
