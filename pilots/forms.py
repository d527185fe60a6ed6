"""The pilot's admin form: the publish rules (pilots/validation.py) applied
when the team publishes, not when it saves a draft (Wagtail defers required
fields for drafts: `is_deferred_validation`), and the choices limited to the
pilot's own mission."""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from consult.models import ChallengeCallPage, LearningQuestion, OutcomeMetric

from . import validation

CONFIRM_LABEL = "These results are right"


class PilotPageForm(WagtailAdminPageForm):
    confirm_results = forms.BooleanField(
        label=CONFIRM_LABEL, required=False,
        help_text="Tick to publish results that are outside the measure's range or dated outside the pilot.",
    )

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        mission = parent_page or (self.instance.get_parent() if self.instance.pk else None)
        if mission is not None:
            for name, queryset in (
                ("metric", OutcomeMetric.objects.filter(page_id=mission.pk)),
                ("learning_questions", LearningQuestion.objects.filter(page_id=mission.pk)),
                ("calls", ChallengeCallPage.objects.child_of(mission)),
            ):
                if name in self.fields:
                    self.fields[name].queryset = queryset
        for name in ("learning_questions", "calls"):
            if name in self.fields:
                self.fields[name].widget = forms.CheckboxSelectMultiple(choices=self.fields[name].choices)

    def clean(self):
        cleaned = super().clean()
        if self.is_deferred_validation:  # a draft: checked when published
            return cleaned
        metric = cleaned.get("metric")
        problems = validation.publish_problems(
            change=cleaned.get("change"), outcome=cleaned.get("outcome"), people=cleaned.get("people"),
            has_metric=metric is not None, measure_name=cleaned.get("measure_name"),
            measure_unit=cleaned.get("measure_unit"), measure_baseline=cleaned.get("measure_baseline"),
            measure_target=cleaned.get("measure_target"), status=cleaned.get("status"),
            starts_on=cleaned.get("starts_on"), ends_on=cleaned.get("ends_on"), lesson=cleaned.get("lesson"),
            decision=cleaned.get("decision"), decision_reason=cleaned.get("decision_reason"),
        )
        for field, message in problems.items():
            self.add_error(field if field in self.fields else None, message)
        if not cleaned.get("confirm_results"):
            unusual = validation.unusual_results(
                self._results(),
                unit=metric.unit if metric else cleaned.get("measure_unit"),
                low=cleaned.get("range_low"), high=cleaned.get("range_high"),
                starts_on=cleaned.get("starts_on"), ends_on=cleaned.get("ends_on"),
            )
            for message in unusual:
                self.add_error("confirm_results", f"{message} Check it, or tick “{CONFIRM_LABEL}” to publish it.")
        return cleaned

    def _results(self):
        formset = self.formsets.get("results")
        if formset is None or not formset.is_valid():
            return []  # the formset reports its own errors
        return [
            (form.cleaned_data.get("date"), form.cleaned_data.get("value"))
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
