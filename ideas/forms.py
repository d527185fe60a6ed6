"""HTML forms mirror the service limits so browsers and screen readers get
them up front; the services validate again for every other caller."""

from django import forms

from consult.models import Sector

from .services import base
from .models import IdeaStatus


class IdeaForm(forms.Form):
    title = forms.CharField(max_length=base.TITLE_MAX, help_text="Up to 150 characters.")
    summary = forms.CharField(
        max_length=base.SUMMARY_MAX, widget=forms.Textarea(attrs={"rows": 3}), help_text="Up to 500 characters."
    )
    body = forms.CharField(
        label="Describe your idea",
        max_length=base.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="You can use Markdown: *emphasis*, **strong**, lists, > quotes, `code` and [links](https://…).",
    )
    tags = forms.CharField(required=False, help_text="Separate tags with commas, for example: heat pumps, skills")
    learning_questions = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Which learning questions does it answer?"
    )
    organisation = forms.CharField(
        required=False, max_length=base.ORG_MAX, label="Organisation (optional)",
        help_text="Leave empty if you submit as yourself.",
    )
    organisation_sector = forms.ChoiceField(required=False, label="Organisation sector (optional)")

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        if call is not None:
            mission = call.get_parent().specific
            self.fields["learning_questions"].choices = [(str(q.pk), q.question) for q in mission.learning_questions.all()]
        self.fields["organisation_sector"].choices = [("", "Choose a sector")] + [
            (str(s.pk), s.name) for s in Sector.objects.all()
        ]


class IdeaEditForm(forms.Form):
    title = IdeaForm.base_fields["title"]
    summary = IdeaForm.base_fields["summary"]
    body = IdeaForm.base_fields["body"]
    tags = IdeaForm.base_fields["tags"]


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=base.COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown is allowed.",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=IdeaStatus.choices)
    merged_into = forms.IntegerField(required=False, label="Merged into idea number")


class ResponseForm(forms.Form):
    response = forms.CharField(label="Official response", widget=forms.Textarea(attrs={"rows": 5}), max_length=base.BODY_MAX)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, label="Token name", help_text="What will use it, for example: my script")
