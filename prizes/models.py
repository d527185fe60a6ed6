from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField

from consult.models import ChallengeCallPage

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
