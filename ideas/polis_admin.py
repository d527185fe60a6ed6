"""Importing a Pol.is conversation from the Wagtail admin, for mission teams
who will not run manage.py: upload the export's three CSV files, pick one of
your missions, and the closed call appears under it (ideas/polis.py does the
work, the same as `manage.py import_polis`)."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from consult.models import MissionPage
from consult.rules import prime_mission_roles
from inputs.refusals import refusal

from .polis import PolisError, import_conversation, read_conversation, short_slug
from .rules import can

MAX_UPLOAD = 20 * 1024 * 1024  # bytes per file; the largest public export's votes.csv is 0.8 MB


def missions_for(user):
    """Missions this person may import into: `ideas.import_polis` decides,
    asked of every mission (the person's roles read in one query)."""
    if not user.is_authenticated:
        return []
    missions = prime_mission_roles(user, MissionPage.objects.order_by("title"))
    return [m for m in missions if can(user, "ideas.import_polis", m)]


class PolisImportForm(forms.Form):
    mission = forms.ModelChoiceField(queryset=MissionPage.objects.none(), empty_label="Choose a mission",
                                     help_text="The closed call is created under this mission.")
    summary = forms.FileField(label="summary.csv", help_text="The conversation's topic, link and description.")
    comments = forms.FileField(label="comments.csv", help_text="The statements, with their moderation.")
    votes = forms.FileField(label="votes.csv", help_text="Every vote; each participant's last vote counts.")
    slug = forms.SlugField(required=False, max_length=50,
                           help_text="The call's address under the mission. Leave empty to make one from the topic.")
    replace = forms.BooleanField(required=False, label="Replace a call already imported at that address",
                                 help_text="Deletes that call, with its ideas and votes, first. Only a call "
                                           "imported from Pol.is is ever replaced; any other call at that address "
                                           "is left alone and the import refused.")

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = MissionPage.objects.filter(pk__in=[m.pk for m in missions])

    def clean(self):
        data = super().clean()
        for name in ("summary", "comments", "votes"):
            upload = data.get(name)
            if upload is not None and upload.size > MAX_UPLOAD:
                self.add_error(name, f"{upload.name} is {upload.size // (1024 * 1024)} MB; the limit is "
                               f"{MAX_UPLOAD // (1024 * 1024)} MB.")
        return data


def import_view(request):
    missions = missions_for(request.user)
    if not missions:
        raise PermissionDenied("Only a mission's team can import into it.")
    form = PolisImportForm(request.POST or None, request.FILES or None, missions=missions)
    if request.method == "POST" and form.is_valid():
        mission = form.cleaned_data["mission"]
        refused = refusal(request.user, "ideas.import_polis", mission)  # checked again, on the object
        if refused is not None:
            raise PermissionDenied(refused.message)
        with tempfile.TemporaryDirectory(prefix="polis-upload-") as folder:
            for name in ("summary", "comments", "votes"):
                with open(Path(folder) / f"{name}.csv", "wb") as out:
                    for chunk in form.cleaned_data[name].chunks():
                        out.write(chunk)
            try:
                conversation = read_conversation(folder)
                slug = form.cleaned_data["slug"] or short_slug(conversation.topic)
                done = import_conversation(mission, conversation, slug=slug, replace=form.cleaned_data["replace"])
            except PolisError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"Imported “{done.call.title}”: {done.ideas} statements ({done.published} public, "
                    f"{done.hidden} moderated out, {done.pending} unmoderated) and {done.votes} votes from "
                    f"{done.participants} participants.",
                )
                return redirect("wagtailadmin_explore", mission.pk)
    return TemplateResponse(request, "ideas/admin/polis_import.html", {
        "form": form, "page_title": "Import a Pol.is conversation", "header_icon": "download",
        "action_url": request.path, "submit_button_label": "Import", "submit_button_active_label": "Importing…",
    })
