from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
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


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    stage = models.CharField(max_length=64)
    question = models.CharField(max_length=64, help_text="The id of the question (prizes/stages.py).")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "question"], name="one_answer_per_question")]
