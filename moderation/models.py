"""Moderation's data: flags, and the append-only audit log of decisions.

Both point at the contribution they are about generically (content type +
object id), so any kind registered in ideas/kinds.py is flagged and logged
with no change here (moderation/migrations/0002 moved the old idea and
comment columns into it).

The tables keep the names they had when moderation lived in the ideas app
(ideas/migrations/0004 and moderation/migrations/0001 moved the models
without touching the database). Suspensions are in consult, beside roles."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from consult.models import MissionPage
from ideas import kinds


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam"
    ABUSE = "abuse", "Abuse"
    OFF_TOPIC = "off_topic", "Off-topic"
    PERSONAL_DATA = "personal_data", "Personal data"
    OTHER = "other", "Other"


class Flag(models.Model):
    """Someone signed in says a contribution breaks the rules. Once per item.
    Deleting the item deletes its flags (moderation/receivers.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    text = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "ideas_flag"  # the name it had when moderation lived in ideas
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="flag_item_once"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="flag_item")]


class AuditImmutable(Exception):
    pass


class ModerationAction(models.Model):
    """The audit log: every moderation decision, appended, never edited or
    deleted through the site. `moderator` is empty for automatic holds."""

    class Kind(models.TextChoices):
        APPROVE = "approve", "Approved"
        HIDE = "hide", "Hidden"
        RESTORE = "restore", "Restored"
        REJECT = "reject", "Rejected"
        REQUEST_EDIT = "request_edit", "Asked the author for an edit"
        SUSPEND = "suspend", "Suspended a person"
        HOLD = "hold", "Held for review"
        SCORE = "score", "Moderated a prize score"

    mission = models.ForeignKey(MissionPage, on_delete=models.PROTECT, related_name="moderation_actions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The contribution acted on (empty for a suspension); the id is kept
    # after the item is deleted, so the log still says what was decided.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    item = GenericForeignKey("content_type", "object_id")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The person whose content or account was acted on.",
    )
    reason = models.CharField(max_length=20, blank=True)
    reason_text = models.CharField(max_length=500, blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "ideas_moderationaction"  # the name it had when moderation lived in ideas
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["mission", "created_at"], name="audit_mission_time"),
            models.Index(fields=["content_type", "object_id"], name="audit_item"),
        ]

    @property
    def item_label(self):
        """The kind of what was acted on, as people read it ("idea"), from
        the content type (cached by Django): no query for the item."""
        if not self.content_type_id:
            return ""
        kind = kinds.find(self.content_type.model_class())
        return kind.label if kind else self.content_type.name

    @property
    def reason_label(self):
        """The reason as people read it ("Personal data"), never its code."""
        return FlagReason(self.reason).label if self.reason in FlagReason.values else self.reason

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutable("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("The moderation log is append-only.")
