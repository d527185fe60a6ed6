"""Pilots: test-and-learn records under a mission (issue #18).

A pilot is content the mission team writes and revises in the Wagtail admin,
so it is a page: Wagtail keeps every revision and the history of who changed
what, and the team already has add/change/publish rights on its mission's
subtree (consult/roles.py) but not delete; pilots/wagtail_hooks.py refuses
deleting one to anyone, site admins included, so a stopped pilot stays
published with its lesson. Which ideas a pilot came from is data
(PilotIdea), written by pilots/services.py when the team takes an idea
forward, so it is never lost by editing an older revision."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import pilot_page
from .forms import PilotPageForm
from .statuses import PilotStatus


class Decision(models.TextChoices):
    SCALE = "scale", "Scale it up"
    ADAPT = "adapt", "Adapt and test again"
    STOP = "stop", "Stop"


# Statuses in which a pilot has started: its ideas count as "piloted".
STARTED = (PilotStatus.RUNNING, PilotStatus.CONCLUDED, PilotStatus.STOPPED)
ENDED = (PilotStatus.CONCLUDED, PilotStatus.STOPPED)


def _part(text):
    return text.strip().rstrip(".")


def _measure_in_sentence(name):
    """A measure named as a title ("People in work") as it reads mid-sentence
    ("people in work"); acronyms ("A&E waits") and names ("Leeds City
    Council surveys") keep their capitals."""
    name = _part(name)
    words = name.split()
    if len(words) > 1 and words[0][:1].isupper() and words[0][1:].islower() and words[1][:1].islower():
        name = name[0].lower() + name[1:]
    return name


class PilotPage(Page):
    """We believe [change] will lead to [outcome] for [people], measured by
    [measure]. The measure is one of the mission's headline metrics or the
    pilot's own, with a baseline and a target."""

    summary = models.CharField("One-line summary", max_length=255, blank=True)
    change = models.TextField("We believe… (the change)", max_length=1000, blank=True,
                              help_text="What the pilot changes, for example “a named caseworker for each family”.")
    outcome = models.TextField("…will lead to… (the outcome)", max_length=1000, blank=True)
    people = models.TextField("…for… (the people)", max_length=1000, blank=True)

    metric = models.ForeignKey(
        "consult.OutcomeMetric", null=True, blank=True, on_delete=models.PROTECT, related_name="pilots",
        help_text="One of the mission's headline metrics, or leave empty and describe the pilot's own measure.",
    )
    measure_name = models.CharField("Own measure", max_length=160, blank=True)
    measure_unit = models.CharField("Unit", max_length=40, blank=True, help_text="For example: %, days, people.")
    measure_baseline = models.DecimalField("Baseline", max_digits=14, decimal_places=2, null=True, blank=True)
    measure_target = models.DecimalField("Target", max_digits=14, decimal_places=2, null=True, blank=True)
    range_low = models.DecimalField(
        "Lowest plausible value", max_digits=14, decimal_places=2, null=True, blank=True,
        help_text="A result below this asks for confirmation before publishing. A % measure is 0 to 100 unless set.",
    )
    range_high = models.DecimalField("Highest plausible value", max_digits=14, decimal_places=2, null=True, blank=True)

    learning_questions = ParentalManyToManyField("consult.LearningQuestion", blank=True, related_name="pilots")
    calls = ParentalManyToManyField("consult.ChallengeCallPage", blank=True, related_name="pilots")

    location = models.CharField("Where it runs", max_length=200, blank=True)
    starts_on = models.DateField("Starts", null=True, blank=True)
    ends_on = models.DateField("Ends", null=True, blank=True)
    status = models.CharField(max_length=12, choices=PilotStatus.choices, default=PilotStatus.PLANNED)

    lesson = models.TextField("The lesson, in plain words", max_length=4000, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decision_reason = models.TextField("Why", max_length=4000, blank=True)

    base_form_class = PilotPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("change"), FieldPanel("outcome"), FieldPanel("people")],
            heading="Hypothesis: we believe [change] will lead to [outcome] for [people], measured by [measure]",
        ),
        MultiFieldPanel(
            [
                FieldPanel("metric"),
                FieldRowPanel([FieldPanel("measure_name"), FieldPanel("measure_unit")]),
                FieldRowPanel([FieldPanel("measure_baseline"), FieldPanel("measure_target")]),
                FieldRowPanel([FieldPanel("range_low"), FieldPanel("range_high")]),
            ],
            heading="Measure",
        ),
        FieldPanel("learning_questions"),
        FieldPanel("calls"),
        HelpPanel(content="The ideas a pilot tests are linked from each idea's page: "
                          "“Take forward into a pilot”, in the mission team's tools."),
        MultiFieldPanel(
            [FieldPanel("location"), FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]), FieldPanel("status")],
            heading="Where and when",
        ),
        InlinePanel("results", heading="Results", label="Result"),
        FieldPanel("confirm_results"),
        MultiFieldPanel([FieldPanel("lesson"), FieldPanel("decision"), FieldPanel("decision_reason")],
                        heading="What we learned and decided"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"), index.SearchField("change"), index.SearchField("outcome"),
        index.SearchField("lesson"),
    ]
    parent_page_types = ["consult.MissionPage"]
    subpage_types = []
    search_context = "Pilot"  # what search results call it (consult/search_documents.py)
    citation_label = "pilot"  # as evidence (consult/selectors.py cited)

    class Meta:
        verbose_name = "pilot"

    # Addresses under /missions/<slug>/pilots/ that are not pilots.
    RESERVED_SLUGS = {"feed"}

    def clean(self):
        super().clean()
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is taken by the pilots' results feed: choose another slug."})

    def set_url_path(self, parent):
        # /missions/<slug>/pilots/<pilot-slug>/ (consult.MissionPage.route).
        self.url_path = parent.url_path + "pilots/" + self.slug + "/" if parent else "/"
        return self.url_path

    # --- the measure, whichever kind it is -------------------------------

    @property
    def measure_label(self):
        return self.metric.name if self.metric_id else self.measure_name

    @property
    def unit(self):
        return self.metric.unit if self.metric_id else self.measure_unit

    @property
    def baseline(self):
        return self.metric.baseline if self.metric_id else self.measure_baseline

    @property
    def target(self):
        return self.metric.target if self.metric_id else self.measure_target

    @property
    def hypothesis(self):
        if not (self.change and self.outcome and self.people and self.measure_label):
            return ""
        return (f"We believe {_part(self.change)} will lead to {_part(self.outcome)} "
                f"for {_part(self.people)}, measured by {_measure_in_sentence(self.measure_label)}.")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(pilot_page.context(self))
        return context

    def route(self, request, path_components):
        if path_components:
            raise Http404
        return super().route(request, path_components)


class PilotResult(Orderable):
    """A dated data point on the pilot's measure, with commentary."""

    page = ParentalKey(PilotPage, on_delete=models.CASCADE, related_name="results")
    date = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    commentary = models.TextField(max_length=4000, blank=True)
    source = models.CharField(max_length=255, blank=True)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("value")]), FieldPanel("commentary"), FieldPanel("source")]

    class Meta(Orderable.Meta):
        ordering = ["date", "sort_order"]


class PilotIdea(models.Model):
    """An idea taken forward into a pilot, by whom, when and why. Written by
    pilots/services.take_forward; never deleted (the ledger says what became
    of the idea for good)."""

    pilot = models.ForeignKey(PilotPage, on_delete=models.PROTECT, related_name="idea_links")
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="pilot_links")
    note = models.TextField("Why it was taken forward", max_length=4000, blank=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pilot", "idea"], name="one_link_per_pilot_idea")]
        indexes = [models.Index(fields=["idea"], name="pilotidea_idea")]


class PilotAnnouncement(models.Model):
    """What people have been told about a pilot: started, each result,
    concluded. A row per event, unique, so publishing again (or publishing
    an older revision) never tells anyone twice (pilots/signals.py)."""

    STARTED = "started"
    RESULT = "result"
    ENDED = "ended"

    pilot = models.ForeignKey(PilotPage, on_delete=models.CASCADE, related_name="announcements")
    kind = models.CharField(max_length=10)
    key = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pilot", "kind", "key"], name="one_announcement")]
