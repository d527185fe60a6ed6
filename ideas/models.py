"""Ideas, comments and votes are data, not pages: they have their own views,
services and counters. Nothing here writes on its own; ideas/services/ does."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from consult.models import ChallengeCallPage, LearningQuestion, MissionPage, Sector


class Visibility(models.TextChoices):
    """Where an item stands with moderation. Only PUBLISHED is public."""

    PENDING = "pending", "Awaiting moderation"
    PUBLISHED = "published", "Published"
    HELD = "held", "Held for review"
    HIDDEN = "hidden", "Removed by a moderator"
    REJECTED = "rejected", "Rejected"


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    SHORTLISTED = "shortlisted", "Shortlisted"
    SELECTED = "selected", "Selected"
    NOT_SELECTED = "not_selected", "Not selected"
    MERGED = "merged", "Merged into another idea"
    # Into a pilot, which the team names (pilots/services.take_forward).
    TAKEN_FORWARD = "taken_forward", "Taken forward"


class TaggedIdea(TaggedItemBase):
    content_object = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="tagged_items")


class Idea(models.Model):
    call = models.ForeignKey(ChallengeCallPage, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas")
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=500)
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField(editable=False, default="")
    # The organisation the idea was submitted for (people/: only its members
    # may), and its name as it was then, which search, exports and imported
    # data (a Pol.is export has names, not records) read.
    on_behalf_of = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    organisation = models.CharField(max_length=160, blank=True)
    organisation_sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.SET_NULL)
    # Posted as "A participant" (where the call allows it): no name shown.
    anonymous = models.BooleanField(default=False, db_default=False)
    learning_questions = models.ManyToManyField(LearningQuestion, blank=True, related_name="ideas")
    tags = TaggableManager(through=TaggedIdea, blank=True)

    status = models.CharField(max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PUBLISHED)
    moderation_reason = models.CharField(max_length=255, blank=True)

    response = models.TextField("Official response", blank=True)
    response_html = models.TextField(editable=False, default="")
    response_at = models.DateTimeField(null=True, blank=True)
    response_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Counters updated in the same transaction as the rows they count.
    support_count = models.PositiveIntegerField(default=0)
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)
    pass_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    # The opinion map (issue #15). A statement about the participant ("I am
    # under 25") is left out of the groups, the consensus and "divided", and
    # shown as who took part, group by group; the team sets it
    # (ideas/services/statements.py).
    # db_default too: rows written by raw SQL or by code that predates the
    # field (a rolling deploy) are opinions, not a NULL.
    about_participant = models.BooleanField(
        "About the participant", default=False, db_default=False,
        help_text="A statement about the participant (Pol.is calls these meta statements), not an opinion.",
    )
    # Group-informed consensus (the product over opinion groups of each
    # group's smoothed agree share), written by the opinions app with each
    # recomputed map; empty until then, for statements about the participant,
    # and for ideas nobody voted on.
    consensus = models.FloatField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # One index per sort of the call page (ideas/selectors.ORDERINGS),
        # with every key of its ORDER BY, tie-breaks included: the first page
        # of a 10,000-idea call then reads 20 index entries instead of
        # sorting the call. No visibility column: the public filter and "or
        # my own" are both checked on the entries as they are read.
        indexes = [
            models.Index(fields=["call", "-created_at", "-id"], name="idea_call_order_new"),
            models.Index(fields=["call", "-support_count", "-agree_count", "-id"], name="idea_call_order_support"),
            models.Index(fields=["call", "-comment_count", "-id"], name="idea_call_order_discuss"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/ideas/{self.pk}/"



class IdeaRevision(models.Model):
    """Every edit of an idea, kept so moderators can see what changed."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=500)
    body = models.TextField()

    class Meta:
        ordering = ["-created_at", "-pk"]


class PolisImport(models.Model):
    """Marks a call the Pol.is importer made (ideas/polis.py): only such a call
    may be replaced by importing again, since replacing deletes the call with
    its ideas and votes. A row of its own rather than a field on the call,
    because the call's fields can be edited in the admin and are carried over
    when Wagtail copies the page (a copy holds none of the imported ideas);
    this row is neither, and goes when the call is deleted."""

    call = models.OneToOneField(ChallengeCallPage, on_delete=models.CASCADE, related_name="polis_import")
    conversation_url = models.TextField(blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Pol.is import {self.conversation_url or '(no link)'} as call {self.call_id}"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    # The top-level comment of the thread, so a page of threads loads in one query.
    thread_root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="thread_comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    anonymous = models.BooleanField(default=False, db_default=False)
    body = models.TextField()
    body_html = models.TextField(editable=False, default="")
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PUBLISHED)
    moderation_reason = models.CharField(max_length=255, blank=True)
    is_deleted = models.BooleanField(default=False)
    depth = models.PositiveSmallIntegerField(default=0)
    support_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["idea", "visibility", "created_at"], name="comment_idea_time")]

    def __str__(self):
        return f"Comment {self.pk} on idea {self.idea_id}"


class Vote(models.Model):
    SUPPORT = "support"
    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"
    VALUE_CHOICES = [(SUPPORT, "Support"), (AGREE, "Agree"), (DISAGREE, "Disagree"), (PASS, "Pass")]
    COUNTER = {SUPPORT: "support_count", AGREE: "agree_count", DISAGREE: "disagree_count", PASS: "pass_count"}

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    # Denormalised so the per-call support limit is one indexed count.
    call = models.ForeignKey(ChallengeCallPage, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=10, choices=VALUE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_vote_per_idea")]
        indexes = [models.Index(fields=["user", "call", "value"], name="vote_user_call")]


class CommentSupport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="one_support_per_comment")]


class Follow(models.Model):
    """Someone who wants to hear about an idea, a call, a whole mission or a
    tag: exactly one of the four. New public ideas in a followed call,
    mission or tag, and activity on a followed idea, reach them as
    notifications (ideas/notifications.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    call = models.ForeignKey(ChallengeCallPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    mission = models.ForeignKey(MissionPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    TARGETS = ("idea", "call", "mission", "tag")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(idea__isnull=False) & Q(call__isnull=True) & Q(mission__isnull=True) & Q(tag__isnull=True))
                    | (Q(idea__isnull=True) & Q(call__isnull=False) & Q(mission__isnull=True) & Q(tag__isnull=True))
                    | (Q(idea__isnull=True) & Q(call__isnull=True) & Q(mission__isnull=False) & Q(tag__isnull=True))
                    | (Q(idea__isnull=True) & Q(call__isnull=True) & Q(mission__isnull=True) & Q(tag__isnull=False))
                ),
                name="follow_one_target",
            ),
            models.UniqueConstraint(fields=["user", "idea"], condition=Q(idea__isnull=False), name="follow_idea_once"),
            models.UniqueConstraint(fields=["user", "call"], condition=Q(call__isnull=False), name="follow_call_once"),
            models.UniqueConstraint(fields=["user", "mission"], condition=Q(mission__isnull=False),
                                    name="follow_mission_once"),
            models.UniqueConstraint(fields=["user", "tag"], condition=Q(tag__isnull=False), name="follow_tag_once"),
        ]


class ApiToken(models.Model):
    """A personal access token. Only its hash is stored; the key is shown once."""

    PREFIX = "mc_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_tokens")
    name = models.CharField(max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    key_hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash_key(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls):
        return cls.PREFIX + secrets.token_urlsafe(32)
