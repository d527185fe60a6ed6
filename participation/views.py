"""The participation dashboard pages: public for everyone, with more for the
mission's team and moderators (pending ideas, each call, the references)."""

from django.contrib.auth.decorators import login_required
from django.contrib import messages
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from consult.models import MissionPage
from consult.rules import can
from ideas.restrictions import response_for
from inputs.refusals import Refused

from .forms import CHOICES, ReferenceForm
from .references import DEFAULTS
from .report import present
from .selectors import references, team_extras
from .services import reset_reference, set_reference as save_reference
from .snapshots import snapshot_for


def _mission(slug):
    mission = MissionPage.objects.live().filter(slug=slug).first()
    if mission is None:
        raise Http404("No such mission.")
    return mission


def _render(request, mission, call, status=200, forms=None):
    team = can(request.user, "consult.view_mission_staff_area", mission)
    counts, computed_at = snapshot_for(mission, call)
    data = present(counts, references(mission))
    if team:
        data.update(team_extras(mission, call))
    reference_forms = None
    if team and call is None:
        reference_forms = forms or {}
        for dimension in CHOICES:
            if dimension not in reference_forms:
                ref = data["references"][dimension]
                initial = {"against": ref["against"], "source": ref["source"]}
                initial.update({f"share_{k}": v for k, v in ref["shares"].items()})
                reference_forms[dimension] = ReferenceForm(initial=initial, dimension=dimension)
    return render(request, "participation/dashboard.html", {
        "mission": mission, "call": call, "page": call or mission, "team": team, "data": data,
        "computed_at": computed_at,
        "reference_forms": reference_forms,
    }, status=status)


def mission_dashboard(request, mission_slug):
    mission = _mission(mission_slug)
    return response_for(request, mission) or _render(request, mission, None)


def call_dashboard(request, call):
    return _render(request, call.get_parent().specific, call)


@login_required
@require_POST
def set_reference(request, mission_slug, dimension):
    mission = _mission(mission_slug)
    restricted = response_for(request, mission)
    if restricted is not None:
        return restricted
    if dimension not in CHOICES:
        raise Http404("No such reference.")
    if not can(request.user, "consult.manage_mission", mission):
        return HttpResponseForbidden("Only this mission's team can set its references.")
    if request.POST.get("action") == "reset":
        reset_reference(request.user, mission, dimension)
        messages.success(request, f"The published figures are used again: {DEFAULTS[dimension]['source']}.")
        return redirect("participation_mission", mission.slug)
    form = ReferenceForm(request.POST, dimension=dimension)
    if not form.is_valid():
        return _render(request, mission, None, status=400, forms={dimension: form})
    try:
        save_reference(request.user, mission, dimension, shares=form.shares(),
                       against=form.cleaned_data["against"], source=form.cleaned_data["source"])
    except Refused as error:
        return HttpResponseForbidden(error.message)
    messages.success(request, "The reference is saved.")
    return redirect("participation_mission", mission.slug)
