import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from consult.models import LearningQuestion, mission_of
from ideas.models import Visibility
from people.models import Organisation

from . import questions as asking
from . import routes
from .blocks import QuestionBlock, SectionBlock


class ConsultationPage(RoutablePageMixin, Page):
    """A consultation: a paper and its questions, open between two dates.
    The questions are content the team edits (with revisions); responses
    and their answers are data, tied to the questions' ids."""

    summary = models.TextField(max_length=1000, help_text="What the consultation is about, in a paragraph.")
    paper = RichTextField("The consultation paper", blank=True,
                          help_text="The proposals, or a summary of them with the full paper attached below.")
    opens = models.DateTimeField()
    closes = models.DateTimeField()
    questions = StreamField([("section", SectionBlock()), ("question", QuestionBlock())], blank=True,
                            use_json_field=True)
    allow_without_account = models.BooleanField(
        "Allow responses without an account", default=False,
        help_text="Respondents confirm an email address instead; each response counts once it is confirmed.")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("paper"),
        InlinePanel("documents", heading="Documents", label="Document"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")]),
                         FieldPanel("allow_without_account")], heading="When and who"),
        FieldPanel("questions"),
    ]
    parent_page_types = ["consult.MissionPage"]
    subpage_types = []
    template = "consultations/consultation_page.html"
    citation_label = "consultation"

    class Meta:
        verbose_name = "consultation"

    def question_list(self) -> list[asking.Question]:
        """The questions as plain values (consultations/questions.py), read once per loaded page."""
        if "_questions" not in self.__dict__:
            self.__dict__["_questions"] = asking.from_blocks(
                (block.block_type, block.id, block.value) for block in self.questions)
        return self.__dict__["_questions"]

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens <= now < self.closes

    def clean(self):
        super().clean()
        self.__dict__.pop("_questions", None)
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": "The consultation must close after it opens."})
        mission = mission_of(self) if self.path else None
        allowed = LearningQuestion.objects.filter(page=mission).values_list("pk", flat=True) if mission else []
        found = asking.problems(self.question_list(), allowed)
        if self.pk:
            before = ConsultationPage.objects.filter(pk=self.pk).first()
            answered = ResponseAnswer.objects.filter(response__consultation_id=self.pk).values_list(
                "question", flat=True).distinct()
            if before is not None:
                found += asking.orphaning_changes(before.question_list(), self.question_list(), answered)
        if found:
            raise ValidationError({"questions": found})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(routes.context(request, self))
        return context

    # The consultation's own pages (consultations/routes.py).
    @path("respond/")
    def route_respond(self, request):
        return routes.answer("respond", request, self)

    @path("respond/check/")
    def route_check(self, request):
        return routes.answer("check", request, self)

    @path("respond/done/")
    def route_done(self, request):
        return routes.answer("done", request, self)

    @path("respond/resume/<str:token>/")
    def route_resume(self, request, token):
        return routes.answer("resume", request, self, token=token)

    @path("respond/confirm/<str:token>/")
    def route_confirm(self, request, token):
        return routes.answer("confirm", request, self, token=token)

    @path("respond/<str:question>/")
    def route_question(self, request, question):
        return routes.answer("question", request, self, question=question)

    @path("analysis/")
    def route_analysis(self, request):
        return routes.answer("analysis", request, self)

    @path("responses/")
    def route_responses(self, request):
        return routes.answer("responses", request, self)

    @path("response/")
    def route_response(self, request):
        return routes.answer("response", request, self)

    @path("response/edit/")
    def route_response_edit(self, request):
        return routes.answer("response_edit", request, self)

    @path("export/")
    def route_export(self, request):
        return routes.answer("export", request, self)


class ConsultationDocument(Orderable):
    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200, help_text="As readers will see it, e.g. “The consultation paper (PDF)”.")

    panels = [FieldPanel("document"), FieldPanel("title")]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Response(models.Model):
    """One respondent's response to a consultation: a draft until sent.
    A person responds once (they may edit their response while the
    consultation is open); without an account, once per confirmed email."""

    DRAFT = "draft"
    UNCONFIRMED = "unconfirmed"   # sent without an account, email not confirmed yet
    SUBMITTED = "submitted"
    STATUS_CHOICES = [(DRAFT, "Draft"), (UNCONFIRMED, "Waiting for email confirmation"), (SUBMITTED, "Sent")]

    PUBLISH_NAME = "name"
    PUBLISH_ANONYMOUS = "anonymous"
    PUBLISH_NONE = "none"
    PUBLISH_CHOICES = [(PUBLISH_NAME, "Publish it with my name (or my organisation's)"),
                       (PUBLISH_ANONYMOUS, "Publish it without a name"), (PUBLISH_NONE, "Do not publish it")]

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="consultation_responses")
    email = models.EmailField(blank=True, help_text="Without an account: the address confirmed.")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     help_text="On whose behalf, if any.")
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=DRAFT)
    publish = models.CharField(max_length=10, choices=PUBLISH_CHOICES, default=PUBLISH_NONE)
    token = models.CharField(max_length=64, unique=True, default=new_token,
                             help_text="The secret in the emailed link that resumes the draft.")
    fingerprint = models.CharField(max_length=32, blank=True,
                                   help_text="The questions' fingerprint when last answered (consultations/questions.py fingerprint).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Published responses (publish "name" or "anonymous") wait for a moderator:
    # only PUBLISHED ones are public (consultations/publishing.py).
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.PENDING)
    moderation_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "respondent"], condition=models.Q(respondent__isnull=False),
                                    name="one_response_per_person"),
        ]
        indexes = [models.Index(fields=["consultation", "status"], name="consultation_response_status")]

    @property
    def reference(self) -> str:
        return f"C{self.consultation_id}-{self.pk}"


class ResponseAnswer(models.Model):
    """One answer, as consultations/questions.py `read_answer` reads it."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=64, help_text="The id of the question.")
    value = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_consultation_answer_per_question")]
        indexes = [models.Index(fields=["question"], name="consultation_answer_question")]


# --- the team's analysis (consultations/tallies.py, campaigns.py) ----------------

class Tally(models.Model):
    """One exact count kept as responses arrive (consultations/tallies.py):
    of a question's answers (`option` ""), or of one option; overall
    (`dimension` "") or for one kind of respondent (`dimension`
    "organisation_type", "organisation_size", "region" with the
    organisation's value, or "individual"). `total` is a sum: of ranks for a
    ranking's option (mean rank = total / answers), of the numbers for a
    number question's answers."""

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="tallies")
    question = models.CharField(max_length=64)
    option = models.CharField(max_length=210, blank=True)
    dimension = models.CharField(max_length=20, blank=True)
    dimension_value = models.CharField(max_length=40, blank=True)
    count = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consultation", "question", "option", "dimension",
                                                       "dimension_value"], name="one_consultation_tally")]


class TalliedResponse(models.Model):
    """What a response added to the tallies, so that taking it away again
    (an edit, a withdrawal) subtracts exactly that, whatever its answers are now."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="tallied")
    rows = models.JSONField(default=list, help_text="[question, option, dimension, value, count, total], …")


class Campaign(models.Model):
    """Identical or near-identical free-text answers to one question sent by
    CAMPAIGN_MIN_RESPONDENTS or more respondents (consultations/campaigns.py),
    found by the worker after responses arrive."""

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="campaigns")
    question = models.CharField(max_length=64)
    text = models.TextField(help_text="The text most of them sent.")
    respondents = models.PositiveIntegerField()
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["consultation", "question"], name="consultation_campaign_q")]


class FreeTextAnswer(models.Model):
    """A submitted free-text answer (or a yes/no answer's "why") as plain
    text, kept by consultations/tallies.py: what the team searches, reads
    and tags, and what campaigns are found in."""

    answer = models.OneToOneField(ResponseAnswer, on_delete=models.CASCADE, related_name="free_text")
    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=64)
    text = models.TextField()
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers")

    class Meta:
        indexes = [models.Index(fields=["consultation", "question"], name="consultation_free_text_q")]


class AnswerTag(models.Model):
    """A tag the team puts on an answer while analysing (e.g. "cost", "rural")."""

    answer = models.ForeignKey(ResponseAnswer, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=50)
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "tag"], name="one_tag_per_answer")]
        ordering = ["tag"]


# --- the published response (consultations/publishing.py) -----------------------

class GovernmentResponse(models.Model):
    """The team's response to a consultation ("We asked, you said, we did"):
    written question by question (QuestionResponse), public once published."""

    consultation = models.OneToOneField(ConsultationPage, on_delete=models.CASCADE, related_name="government_response")
    introduction = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class QuestionResponse(models.Model):
    """What the team heard and what it will do, for one question."""

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="question_responses")
    question = models.CharField(max_length=64, help_text="The id of the question.")
    summary = models.TextField("What we heard", blank=True, max_length=5000)
    decision = models.TextField("What we will do", blank=True, max_length=5000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consultation", "question"],
                                               name="one_government_response_per_question")]
