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

    @path("respond/<str:question>/")
    def route_question(self, request, question):
        return routes.answer("question", request, self, question=question)

    @path("analysis/")
    def route_analysis(self, request):
        return routes.answer("analysis", request, self)

    @path("responses/")
    def route_responses(self, request):
        return routes.answer("responses", request, self)


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
