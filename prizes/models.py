import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import StreamField

from consult.models import ChallengeCallPage
from people.models import Organisation

from . import stages
from .blocks import StageBlock


class PrizeCallPage(ChallengeCallPage):
    """A challenge call run as a prize: stages with published criteria,
    questions and awards (content the team edits, with revisions). Applications,
    assessments and scores are data, tied to the stages' ids."""

    prize_stages = StreamField([("stage", StageBlock())], blank=True, use_json_field=True,
                               verbose_name="Stages")
    blind = models.BooleanField("Blind assessment", default=False,
                                help_text="Assessors see no name, organisation or file name.")
    max_file_mb = models.PositiveIntegerField("Largest file (MB)", default=20)
    max_files = models.PositiveIntegerField("Files per application", default=5)

    content_panels = ChallengeCallPage.content_panels + [
        FieldPanel("prize_stages"),
        MultiFieldPanel([FieldPanel("blind"), FieldPanel("max_file_mb"), FieldPanel("max_files")],
                        heading="Applications and assessment"),
    ]
    template = "consult/challenge_call_page.html"
    parent_page_types = ["consult.MissionPage"]
    subpage_types = []
    citation_label = "challenge prize"

    class Meta:
        verbose_name = "challenge prize"

    # The prize's own pages, answered by views registered on consult's call
    # page (prizes/apps.py), so that this module imports no view.
    @path("application/")
    def route_your_application(self, request):
        return self._sub_page(request, "prize_application")

    @path("apply/files/<int:pk>/")
    def route_attachment(self, request, pk):
        return self._sub_page(request, "prize_file", pk=pk)

    @path("apply/files/<int:pk>/remove/")
    def route_remove_attachment(self, request, pk):
        return self._sub_page(request, "prize_file_remove", pk=pk)

    @path("panel/")
    def route_panel_page(self, request):
        return self._sub_page(request, "prize_panel")

    @path("panel/conflicts/")
    def route_conflicts_page(self, request):
        return self._sub_page(request, "prize_conflicts")

    @path("panel/assign/")
    def route_assign_page(self, request):
        return self._sub_page(request, "prize_assign")

    @path("assess/")
    def route_assess_list(self, request):
        return self._sub_page(request, "prize_assess_list")

    @path("assess/<int:pk>/")
    def route_assess_one(self, request, pk):
        return self._sub_page(request, "prize_assess", pk=pk)

    @path("sheet/")
    def route_sheet(self, request):
        return self._sub_page(request, "prize_sheet")

    @path("sheet/publish/")
    def route_publish(self, request):
        return self._sub_page(request, "prize_publish")

    @path("sheet/<int:pk>/")
    def route_sheet_row(self, request, pk):
        return self._sub_page(request, "prize_sheet_row", pk=pk)

    @path("sheet/<int:pk>/reassign/")
    def route_reassign(self, request, pk):
        return self._sub_page(request, "prize_reassign", pk=pk)

    def stages(self):
        """The stages as plain values (prizes/stages.py), each list item
        with the id Wagtail keeps for it."""
        def items(list_value):
            return [(child.id, child.value) for child in list_value.bound_blocks]

        return stages.from_blocks(
            (block.id, {**block.value, "criteria": items(block.value["criteria"]),
                        "questions": items(block.value["questions"])})
            for block in self.prize_stages
        )

    def clean(self):
        super().clean()
        found = stages.problems(self.stages())
        if found:
            raise ValidationError({"prize_stages": found})


class PanelMember(models.Model):
    """An assessor appointed to a prize's panel by its mission team; the
    chair reassigns applications and moderates scores."""

    prize = models.ForeignKey(PrizeCallPage, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prize_panels")
    is_chair = models.BooleanField(default=False)
    appointed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prize", "user"], name="one_panel_seat_per_person"),
            models.UniqueConstraint(fields=["prize"], condition=models.Q(is_chair=True), name="one_chair_per_prize"),
        ]

    def __str__(self):
        return f"{self.user} on {self.prize}{' (chair)' if self.is_chair else ''}"


class Conflict(models.Model):
    """A conflict of interest an assessor declares: with an organisation or
    with a person. Never assigned an application from either."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, person__isnull=True)
                | models.Q(organisation__isnull=True, person__isnull=False),
                name="conflict_with_one_organisation_or_person"),
            models.UniqueConstraint(fields=["member", "organisation"], name="one_conflict_per_organisation"),
            models.UniqueConstraint(fields=["member", "person"], name="one_conflict_per_person"),
        ]


class Application(models.Model):
    """One applicant's application to a prize, carried from stage to stage:
    finalists answer the next stage's questions on the same application."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    STATUS_CHOICES = [(DRAFT, "Draft"), (SUBMITTED, "Submitted")]

    prize = models.ForeignKey(PrizeCallPage, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prize_applications")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     help_text="On whose behalf, if any.")
    stage = models.CharField(max_length=64, help_text="The id of the stage being answered (prizes/stages.py).")
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prize", "applicant"], name="one_application_per_applicant")]
        indexes = [models.Index(fields=["prize", "stage", "status"], name="prize_application_stage")]

    @property
    def reference(self) -> str:
        """What the applicant, the panel and the published results call it
        (blind assessment shows nothing else)."""
        return f"P{self.prize_id}-{self.pk}"


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    stage = models.CharField(max_length=64)
    question = models.CharField(max_length=64, help_text="The id of the question (prizes/stages.py).")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "question"], name="one_answer_per_question")]


def prize_files():
    """The storage of applications' files (settings STORAGES["prize_files"]:
    a private folder by default, an S3-compatible bucket when configured)."""
    return storages["prize_files"]


def _file_path(instance, filename):
    # Never the applicant's file name: a random name in the prize's folder.
    return f"prize-{instance.application.prize_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to an application for a stage. Its type is read from
    its content (prizes/files.py); it is held until scanned when ClamAV is
    configured, and served only as a download to those allowed to see it."""

    PENDING = "pending"      # waiting for clamd
    CLEAN = "clean"          # clamd found nothing
    INFECTED = "infected"    # clamd found something: never served
    UNSCANNED = "unscanned"  # no scanner configured (the README says so)
    SCAN_CHOICES = [(PENDING, "Waiting for a virus scan"), (CLEAN, "Scanned"), (INFECTED, "Refused by the scan"),
                    (UNSCANNED, "Not scanned")]

    application = models.ForeignKey("Application", on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField(max_length=64)
    file = models.FileField(upload_to=_file_path, storage=prize_files, max_length=200)
    name = models.CharField(max_length=120, help_text="The name it was given, cleaned; hidden from blind assessors.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    scan = models.CharField(max_length=10, choices=SCAN_CHOICES, default=PENDING)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class Assignment(models.Model):
    """An assessor assigned to read and score an application at a stage
    (prizes/assignment.py decides; the chair may reassign)."""

    application = models.ForeignKey("Application", on_delete=models.CASCADE, related_name="assignments")
    stage = models.CharField(max_length=64)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prize_assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="When the assessor submitted their scores.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "stage", "assessor"],
                                               name="one_assignment_per_assessor")]
        indexes = [models.Index(fields=["assessor", "stage"], name="prize_assessor_work")]


class Score(models.Model):
    """One assessor's score of one published criterion, with a comment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(max_length=64, help_text="The id of the criterion (prizes/stages.py).")
    value = models.SmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion")]


class StageResult(models.Model):
    """An application's row on a stage's panel sheet: the aggregates of
    prizes/scoring.py, stored when a score sheet is submitted (so the sheet
    reads one row per application), the chair's moderated score, the team's
    decision and the feedback the applicant receives."""

    UNDECIDED = ""
    SHORTLISTED = "shortlisted"
    ADVANCED = "advanced"
    AWARDED = "awarded"
    DECLINED = "declined"
    DECISION_CHOICES = [(UNDECIDED, "Not decided"), (SHORTLISTED, "Shortlisted"), (ADVANCED, "Advanced"),
                        (AWARDED, "Awarded"), (DECLINED, "Not taken forward")]

    prize = models.ForeignKey(PrizeCallPage, on_delete=models.CASCADE, related_name="results")
    application = models.ForeignKey("Application", on_delete=models.CASCADE, related_name="results")
    stage = models.CharField(max_length=64)
    assigned = models.PositiveSmallIntegerField(default=0)
    assessed = models.PositiveSmallIntegerField(default=0)
    mean = models.FloatField(null=True, blank=True)
    spread = models.FloatField(null=True, blank=True)
    outliers = models.JSONField(default=list, blank=True, help_text="Assessors far from the others (user ids).")
    disagreement = models.BooleanField(default=False)
    moderated = models.FloatField(null=True, blank=True)
    moderated_reason = models.TextField(blank=True)
    final = models.FloatField(null=True, blank=True)
    passes = models.BooleanField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=DECISION_CHOICES, default=UNDECIDED, blank=True)
    award = models.CharField(max_length=200, blank=True, help_text="What was awarded, as published.")
    feedback = models.JSONField(default=dict, blank=True, help_text="Feedback by criterion id, edited by the team.")
    feedback_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "prize application's score"
        constraints = [models.UniqueConstraint(fields=["application", "stage"], name="one_result_per_stage")]
        indexes = [models.Index(fields=["prize", "stage", "final"], name="prize_sheet_rank")]


class PublishedStage(models.Model):
    """A stage whose results the team published: who advanced and what was
    awarded, on the call page, in open data and in "you said, we did"."""

    prize = models.ForeignKey(PrizeCallPage, on_delete=models.CASCADE, related_name="published_stages")
    stage = models.CharField(max_length=64)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prize", "stage"], name="one_publication_per_stage")]
