"""Moderation's data: flags, and the append-only audit log of decisions.

The tables keep the names they had when moderation lived in the ideas app
(ideas/migrations/0004 and moderation/migrations/0001 moved the models
without touching the database). Suspensions are in consult, beside roles."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from consult.models import MissionPage
from ideas.models import Comment, Idea


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam"
    ABUSE = "abuse", "Abuse"
    OFF_TOPIC = "off_topic", "Off-topic"
    PERSONAL_DATA = "personal_data", "Personal data"
    OTHER = "other", "Other"


class Flag(models.Model):
    """Someone signed in says an idea or a comment breaks the rules. Once per item."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    text = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "ideas_flag"  # the name it had when moderation lived in ideas
        constraints = [
            models.CheckConstraint(
                condition=(Q(idea__isnull=False) & Q(comment__isnull=True)) | (Q(idea__isnull=True) & Q(comment__isnull=False)),
                name="flag_one_target",
            ),
            models.UniqueConstraint(fields=["user", "idea"], condition=Q(idea__isnull=False), name="flag_idea_once"),
            models.UniqueConstraint(fields=["user", "comment"], condition=Q(comment__isnull=False), name="flag_comment_once"),
        ]


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

    mission = models.ForeignKey(MissionPage, on_delete=models.PROTECT, related_name="moderation_actions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
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
        indexes = [models.Index(fields=["mission", "created_at"], name="audit_mission_time")]

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
