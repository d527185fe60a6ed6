"""Missions and challenge calls are Wagtail pages: content that mission teams
shape in the admin. Memberships (who may act on a mission) are plain data."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from inputs.ids import parse_id

from . import call_page, mission_page, questions
from .visibility import pages_visible_to, passed_ids


MAX_HEADLINE_METRICS = 5
MIN_HEADLINE_METRICS = 3


class Sector(models.Model):
    """An organisation sector a call may be open to (business, charity...)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MissionIndexPage(Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["consult.MissionPage"]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["missions"] = pages_visible_to(MissionPage.objects.child_of(self), request.user,
                                               passed_ids(getattr(request, "session", None))).order_by("path")
        return context


def _kept_forms(formset):
    """The inline forms that will be saved. Runs before the formset is
    cleaned, so it reads the raw DELETE flags."""
    return [
        form
        for form in formset.forms
        if (form.has_changed() or form.instance.pk) and not form.data.get(form.add_prefix("DELETE"))
    ]


class MissionPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        self._check_question_evidence()
        formset = self.formsets.get("metrics")
        if formset is not None:
            kept = _kept_forms(formset)
            if len(kept) > MAX_HEADLINE_METRICS:
                raise ValidationError(
                    f"A mission follows at most {MAX_HEADLINE_METRICS} headline outcome metrics; "
                    f"this one has {len(kept)}. Remove {len(kept) - MAX_HEADLINE_METRICS} to save."
                )
        return cleaned

    def _check_question_evidence(self):
        """A question is explored or answered only with its evidence cited
        (consult/questions.py); the message goes on the question's status."""
        formset = self.formsets.get("learning_questions")
        if formset is None:
            return
        for form in _kept_forms(formset):
            evidence = form.formsets.get("evidence")
            cited = len(_kept_forms(evidence)) if evidence is not None else 0
            problem = questions.missing_for_status(
                form.data.get(form.add_prefix("status"), ""),
                answer=form.data.get(form.add_prefix("answer"), ""),
                evidence=cited,
            )
            if problem:
                form.add_error("status", problem)
                self.add_error(None, f"“{form.data.get(form.add_prefix('question'), '')}”: {problem}")


class MissionPage(Page):
    """A mission framed as a learning problem."""

    goal = models.CharField("One-line goal", max_length=255)
    what_we_know = RichTextField("What we know", blank=True)
    owner_name = models.CharField("Senior responsible owner", max_length=120, blank=True)
    owner_role = models.CharField("Owner's role", max_length=160, blank=True)

    base_form_class = MissionPageForm
    content_panels = Page.content_panels + [
        FieldPanel("goal"),
        FieldPanel("what_we_know"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("owner_name"), FieldPanel("owner_role")])], heading="Owner"),
        InlinePanel("learning_questions", heading="Learning questions", label="Learning question"),
        InlinePanel("team_members", heading="Mission team", label="Team member"),
        InlinePanel(
            "metrics",
            heading="Headline outcome metrics (3 to 5)",
            label="Metric",
            max_num=MAX_HEADLINE_METRICS,
        ),
        InlinePanel("pathway_versions", heading="Delivery pathway versions", label="Pathway version"),
    ]
    search_fields = Page.search_fields + [index.SearchField("goal"), index.SearchField("what_we_know")]
    parent_page_types = ["consult.MissionIndexPage"]
    subpage_types = ["consult.ChallengeCallPage", "prizes.PrizeCallPage", "pilots.PilotPage",
                     "consultations.ConsultationPage"]

    def clean(self):
        super().clean()
        # Counting the unsaved cluster covers every path that saves a page
        # (admin, API, scripts), not only the admin form.
        metrics = getattr(self, "metrics", None)
        if metrics is not None and len(list(metrics.all())) > MAX_HEADLINE_METRICS:
            raise ValidationError(
                f"A mission follows at most {MAX_HEADLINE_METRICS} headline outcome metrics."
            )

    # Each kind of sub-page has its own address: calls at
    # /missions/<slug>/calls/<call-slug>/, pilots at .../pilots/<pilot-slug>/.
    CHILD_PREFIXES = {"calls": "consult.challengecallpage", "pilots": "pilots.pilotpage"}

    def route(self, request, path_components):
        if path_components:
            if path_components[0] == "questions" and len(path_components) == 2:
                return self._question_route(path_components[1])
            kind = self.CHILD_PREFIXES.get(path_components[0])
            if kind is None or len(path_components) < 2:
                raise Http404
            result = super().route(request, path_components[1:])
            # The child that answered is the kind its prefix names (a call's
            # sub-pages answer as the call): no query more than routing.
            page = result[0]
            if page._meta.label_lower != kind:
                raise Http404
            return result
        return super().route(request, path_components)

    def _question_route(self, question_id):
        pk = parse_id(question_id)
        if pk is None or not self.learning_questions.filter(pk=pk).exists():
            raise Http404
        return RouteResult(self, kwargs={"question_id": pk})

    def serve(self, request, *args, question_id=None, **kwargs):
        if question_id is not None:
            return mission_page.serve_question(request, self, question_id)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(mission_page.page_context(self, request))
        return context


class Citation(Orderable):
    """A pilot or a call cited as evidence, with what it showed (issue #18)."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.PROTECT, related_name="+",
        help_text="A pilot or a challenge call of this mission.",
    )
    note = models.TextField("What it showed", max_length=2000)

    panels = [
        PageChooserPanel("page", page_type=["pilots.PilotPage", "consult.ChallengeCallPage"]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        abstract = True


class LearningQuestion(ClusterableModel, Orderable):
    STATUS_OPEN = "open"
    STATUS_EXPLORING = "exploring"
    STATUS_ANSWERED = "answered"
    STATUS_CHOICES = [
        (STATUS_OPEN, "Open"),
        (STATUS_EXPLORING, "Being explored"),
        (STATUS_ANSWERED, "Answered"),
    ]
    page = ParentalKey(MissionPage, on_delete=models.CASCADE, related_name="learning_questions")
    question = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=STATUS_OPEN)
    answer = models.TextField(blank=True, help_text="What we learned, once answered.")

    panels = [
        FieldPanel("question"),
        FieldPanel("status", help_text="Being explored or answered needs the evidence cited below."),
        FieldPanel("answer"),
        InlinePanel("evidence", heading="Evidence", label="Evidence"),
    ]

    def clean(self):
        if self.status == self.STATUS_ANSWERED and not self.answer.strip():
            raise ValidationError({"answer": "An answered question needs its answer."})

    class Meta(Orderable.Meta):
        pass

    def get_absolute_url(self):
        return f"{self.page.url}questions/{self.pk}/"

    def __str__(self):
        return self.question


class QuestionEvidence(Citation):
    question = ParentalKey(LearningQuestion, on_delete=models.CASCADE, related_name="evidence")


class TeamMember(Orderable):
    page = ParentalKey(MissionPage, on_delete=models.CASCADE, related_name="team_members")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=160)

    panels = [FieldPanel("name"), FieldPanel("role")]


class OutcomeMetric(ClusterableModel, Orderable):
    DIRECTION_UP = "up"
    DIRECTION_DOWN = "down"
    DIRECTION_CHOICES = [(DIRECTION_UP, "Higher is better"), (DIRECTION_DOWN, "Lower is better")]

    page = ParentalKey(MissionPage, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=160)
    unit = models.CharField(max_length=40, help_text="For example: %, £bn, GW, days.")
    direction = models.CharField(max_length=4, choices=DIRECTION_CHOICES, default=DIRECTION_UP)
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    baseline_date = models.DateField(null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    target_date = models.DateField()

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("direction")]),
        FieldRowPanel([FieldPanel("baseline"), FieldPanel("baseline_date")]),
        FieldRowPanel([FieldPanel("target"), FieldPanel("target_date")]),
        InlinePanel("points", heading="Data points", label="Data point"),
    ]

    def __str__(self):
        return self.name


class MetricPoint(Orderable):
    metric = ParentalKey(OutcomeMetric, on_delete=models.CASCADE, related_name="points")
    date = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    source = models.CharField(max_length=255)
    commentary = models.TextField("Owner's commentary", blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("value")]),
        FieldPanel("source"),
        FieldPanel("commentary"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["date"]


class PathwayVersion(ClusterableModel, Orderable):
    page = ParentalKey(MissionPage, on_delete=models.CASCADE, related_name="pathway_versions")
    version = models.CharField(max_length=20, help_text="For example: v1, v2.1")
    date = models.DateField()
    summary = RichTextField()
    changes = models.TextField("What changed and why", blank=True)

    panels = [
        FieldRowPanel([FieldPanel("version"), FieldPanel("date")]),
        FieldPanel("summary"),
        FieldPanel("changes"),
        InlinePanel("citations", heading="Evidence that changed it", label="Pilot or call cited"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["-date"]


class PathwayCitation(Citation):
    version = ParentalKey(PathwayVersion, on_delete=models.CASCADE, related_name="citations")


class ChallengeCallPage(RoutablePageMixin, Page):
    """An innovation competition under a mission, run in dated phases."""

    ELIGIBILITY_CHOICES = [
        ("citizens", "Individuals"),
        ("organisations", "Organisations only (of the types chosen below)"),
        ("both", "Individuals and organisations"),
    ]
    MODERATION_PRE = "pre"
    MODERATION_POST = "post"
    MODERATION_CHOICES = [
        (MODERATION_PRE, "Pre-moderation: nothing public until approved"),
        (MODERATION_POST, "Post-moderation: public at once, flaggable"),
    ]
    VOTING_OFF = "off"
    VOTING_SUPPORT = "support"
    VOTING_AGREE = "agree"
    VOTING_CHOICES = [
        (VOTING_OFF, "Off"),
        (VOTING_SUPPORT, "Support"),
        (VOTING_AGREE, "Agree / disagree / pass"),
    ]

    brief = RichTextField()
    eligibility = models.CharField(max_length=20, choices=ELIGIBILITY_CHOICES, default="both")
    # Named as people name their organisation's type (people/choices.py
    # OrganisationType; ideas/organisations.py maps each type to one of these).
    sectors = ParentalManyToManyField(
        Sector, blank=True, verbose_name="Types of organisation",
        help_text="The types of organisation that may submit, as people describe their organisation; "
        "none chosen: any type.",
    )
    submission_opens = models.DateTimeField()
    submission_closes = models.DateTimeField(help_text="Review starts when submission closes.")
    review_closes = models.DateTimeField(help_text="Shortlisting starts when review closes.")
    shortlist_closes = models.DateTimeField(help_text="Results are published when shortlisting closes.")
    moderation_mode = models.CharField(max_length=4, choices=MODERATION_CHOICES, default=MODERATION_POST)
    voting_mode = models.CharField(max_length=10, choices=VOTING_CHOICES, default=VOTING_SUPPORT)
    support_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text="Supports per person in this call; empty for no limit."
    )
    authors_can_vote = models.BooleanField("Authors may vote on their own ideas", default=False)
    allow_anonymous = models.BooleanField(
        "People may post without their name", default=False, db_default=False,
        help_text="Each idea or comment may then be shown as by “A participant”. The team and moderators still know who wrote it.",
    )
    comments_open = models.BooleanField(default=True)
    flag_threshold = models.PositiveIntegerField(
        default=3, help_text="Flags from different people that hold an item for review."
    )
    results_summary = RichTextField("The team's response", blank=True)
    data_attribution = models.TextField(
        "Data source and licence", blank=True,
        help_text="For calls that hold imported open data (such as a Pol.is conversation): where it comes from "
        "and its licence. Shown on the call page, on each idea and in the CSV and Atom exports.",
    )

    # Counters kept by the ideas services, read on hot pages instead of COUNT(*).
    idea_count = models.PositiveIntegerField(default=0, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("brief"),
        MultiFieldPanel([FieldPanel("eligibility"), FieldPanel("sectors", widget=forms.CheckboxSelectMultiple)], heading="Who may take part"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("submission_opens"), FieldPanel("submission_closes")]),
                FieldRowPanel([FieldPanel("review_closes"), FieldPanel("shortlist_closes")]),
            ],
            heading="Phases: submission, review, shortlist, results",
        ),
        MultiFieldPanel(
            [
                FieldPanel("moderation_mode"),
                FieldPanel("flag_threshold"),
                FieldPanel("voting_mode"),
                FieldPanel("support_limit"),
                FieldPanel("authors_can_vote"),
                FieldPanel("allow_anonymous"),
                FieldPanel("comments_open"),
            ],
            heading="Participation rules",
        ),
        FieldPanel("results_summary"),
        FieldPanel("data_attribution"),
    ]
    search_fields = Page.search_fields + [index.SearchField("brief")]
    parent_page_types = ["consult.MissionPage"]
    subpage_types = []
    citation_label = "challenge call"  # as evidence (consult/selectors.py cited)

    @property
    def attribution_line(self):
        """The attribution on one line, for exports (a CSV cell, Atom <rights>)."""
        return " ".join(self.data_attribution.split())

    def set_url_path(self, parent):
        if parent:
            self.url_path = parent.url_path + "calls/" + self.slug + "/"
        else:
            self.url_path = "/"
        return self.url_path

    def clean(self):
        super().clean()
        order = [
            ("submission_opens", self.submission_opens),
            ("submission_closes", self.submission_closes),
            ("review_closes", self.review_closes),
            ("shortlist_closes", self.shortlist_closes),
        ]
        errors = {}
        for (_, earlier), (name, later) in zip(order, order[1:]):
            if earlier and later and later <= earlier:
                errors[name] = "Must be after the previous phase date."
        if errors:
            raise ValidationError(errors)

    # The sub-pages and the ideas half of the context come from the apps
    # above consult, through consult/call_page.py (the layer rule).
    def _sub_page(self, request, name, **kwargs):
        view = call_page.route(name)
        if view is None:
            raise Http404("No such page.")
        return view(request, self, **kwargs)

    @path("submit/")
    def submit(self, request):
        return self._sub_page(request, "submit")

    @path("export/")
    def export_csv(self, request):
        return self._sub_page(request, "export")

    @path("results/")
    def results(self, request):
        return self._sub_page(request, "results")

    @path("participation/")
    def participation(self, request):
        return self._sub_page(request, "participation")

    @path("feed/")
    def feed(self, request):
        return self._sub_page(request, "feed")

    @path("feed/updates/")
    def updates_feed(self, request):
        return self._sub_page(request, "updates_feed")

    @path("you-said-we-did/")
    def you_said_we_did(self, request):
        return self._sub_page(request, "you_said_we_did")

    @path("follow/")
    def follow(self, request):
        return self._sub_page(request, "follow")

    # A prize call's application (prizes/, through the registry; 404 elsewhere).
    @path("apply/")
    def apply(self, request):
        return self._sub_page(request, "apply")

    @path("apply/check/")
    def apply_check(self, request):
        return self._sub_page(request, "apply_check")

    @path("apply/done/")
    def apply_done(self, request):
        return self._sub_page(request, "apply_done")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(call_page.context(self, request))
        context["parent_mission"] = mission_of(self)
        return context


def mission_of(obj):
    """The mission an object belongs to (a mission, a call, an idea, a comment).
    Beside the models it reads, so that the rules (consult/rules.py) and the
    call page both ask it, one cached query for both, without importing
    each other."""
    if obj is None:
        return None
    if isinstance(obj, MissionPage):
        return obj
    if isinstance(obj, Page):
        # A call, or any page an instrument puts under a mission (a
        # consultation): the mission is the page above it.
        cached = getattr(obj, "_mission_cache", None)
        if cached is None:
            cached = MissionPage.objects.filter(path=obj.path[: -obj.steplen]).first()
            obj._mission_cache = cached
        return cached
    call = getattr(obj, "call", None)
    if call is not None:
        return mission_of(call)
    idea = getattr(obj, "idea", None)
    if idea is not None:
        return mission_of(idea)
    return None


class MissionMembership(models.Model):
    """Who holds a role on a mission. Roles are scoped: a moderator of mission
    A has no power over mission B."""

    ROLE_TEAM = "team"
    ROLE_MODERATOR = "moderator"
    # On a challenge prize's panel: kept by prizes/services/panel.py as the
    # team appoints and removes assessors. It grants nothing here: the rules
    # ask for the team or a moderator by name, the panel's rules for the seat.
    ROLE_ASSESSOR = "assessor"
    ROLE_CHOICES = [(ROLE_TEAM, "Mission team"), (ROLE_MODERATOR, "Moderator"), (ROLE_ASSESSOR, "Prize assessor")]

    mission = models.ForeignKey(MissionPage, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mission_memberships")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("mission"), FieldPanel("user"), FieldPanel("role")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mission", "user", "role"], name="unique_mission_role")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.mission}"


class Suspension(models.Model):
    """A person may not take part in a mission's calls until a date: the
    opposite of a role. Moderators write it (moderation/); the participation
    rules read it (ideas/rules.py), so it lives below both, with the roles."""

    mission = models.ForeignKey(MissionPage, on_delete=models.CASCADE, related_name="suspensions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    until = models.DateTimeField()
    reason = models.CharField(max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table keeps the name it had when moderation lived in ideas.
        db_table = "ideas_suspension"
        indexes = [models.Index(fields=["user", "mission", "until"], name="suspension_lookup")]

