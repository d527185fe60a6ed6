"""Taking an idea forward into a pilot, from the mission team's tools on the
idea page (the form is pilots/_take_forward.html, shown through
ideas/fate.py). The view reads the request; pilots/services.py decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ideas import selectors as idea_selectors
from inputs.refusals import Refused

from . import services


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def take_forward(request, idea_id):
    idea = idea_selectors.get_idea_for(request.user, idea_id)
    if idea is None:
        raise Http404("No such idea.")
    back = idea.get_absolute_url() + "#take-forward"
    try:
        link = services.take_forward(request.user, idea, request.POST.get("pilot"), request.POST.get("note", ""))
    except Refused as error:
        if _wants_json(request):
            return JsonResponse(error.as_json(), status=error.status)
        messages.error(request, error.message)
        return redirect(back)
    if _wants_json(request):
        return JsonResponse({"idea": idea.pk, "pilot": link.pilot_id, "status": "taken_forward"}, status=201)
    messages.success(request, f"Taken forward into “{link.pilot.title}”. Its author and followers are told.")
    return redirect(idea.get_absolute_url())
