"""HTML forms mirror the service limits so browsers and screen readers get
them up front; the services validate again for every other caller."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from people.selectors import organisations_of

from .organisations import CHOOSE_ONE, MEMBER_OF_NONE, citizens_only, eligible_organisations, organisation_needed, organisations_only
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
    organisation_id = forms.ChoiceField(required=False, label="Who are you submitting for?")
    anonymous = forms.BooleanField(required=False, label="Post without my name: show it as by “A participant”")

    def __init__(self, *args, call=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if call is not None:
            mission = call.get_parent().specific
            self.fields["learning_questions"].choices = [(str(q.pk), q.question) for q in mission.learning_questions.all()]
        _who_fields(self, call, user)

    def clean_organisation_id(self):
        value = self.cleaned_data.get("organisation_id")
        if not value and self.only_organisation is not None:
            return str(self.only_organisation.pk)
        return value


def _who_fields(form, call, user):
    """The organisation choice is the person's own organisations the call
    accepts: required in an organisations-only call (said before the form is
    sent), chosen for them when they have exactly one (no pointless choice),
    absent in a call for individuals. The anonymous box only where the call
    allows."""
    mine = organisations_of(user) if user is not None else []
    field = form.fields["organisation_id"]
    form.only_organisation = None
    form.organisation_needed = None
    if call is None or citizens_only(call):
        del form.fields["organisation_id"]
    elif organisations_only(call):
        sectors = list(call.sectors.all())
        eligible = eligible_organisations(call, mine, sectors)
        form.organisation_needed = organisation_needed(call, mine, sectors)
        field.required = True
        field.label = "Which organisation are you submitting for?"
        field.help_text = "This call is open to organisations only. You can submit for organisations you are a member of."
        if not eligible:
            # help_text is shown as HTML (templates/includes/field.html): only our own words and URLs here.
            field.help_text = format_html(
                'You are not a member of any organisation this call is open to. <a class="govuk-link" '
                'href="{}?next={}">Add your organisation</a>, or ask its admin to invite you.',
                reverse("people:organisation_new"), call.url + "submit/",
            )
        field.choices = [("", "Choose an organisation")] + [(str(o.pk), o.name) for o in eligible]
        field.error_messages["required"] = CHOOSE_ONE if eligible else MEMBER_OF_NONE
        if len(eligible) == 1:
            # Chosen for them (IdeaForm.clean_organisation_id fills it in when not sent).
            form.only_organisation = eligible[0]
            field.widget = forms.HiddenInput()
            field.initial = str(eligible[0].pk)
            field.required = False
    else:
        field.choices = [("", "Myself")] + [(str(o.pk), o.name) for o in eligible_organisations(call, mine)]
        field.help_text = "Submit as yourself, or for an organisation you are a member of."
    if call is None or not call.allow_anonymous or organisations_only(call):
        # Never both without a name and for an organisation (ideas/organisations.py).
        del form.fields["anonymous"]
    elif "organisation_id" in form.fields and mine:
        form.fields["anonymous"].label = (
            "Post without my name: show it as by “A participant” (only when you submit as yourself: an idea for "
            "an organisation shows your name)"
        )


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
    anonymous = forms.BooleanField(required=False, label="Post without my name: show it as by “A participant”")

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        if call is None or not call.allow_anonymous:
            del self.fields["anonymous"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=IdeaStatus.choices)
    merged_into = forms.IntegerField(required=False, label="Merged into idea number")


class ResponseForm(forms.Form):
    response = forms.CharField(label="Official response", widget=forms.Textarea(attrs={"rows": 5}), max_length=base.BODY_MAX)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, label="Token name", help_text="What will use it, for example: my script")
