"""The panel's screens (issue #28, item 4): the mission team's page for
appointing assessors and a chair (`panel/`), and an assessor's page for
declaring conflicts of interest (`panel/conflicts/`). Plain forms that post
back to the same page (with a confirmation step before removing someone),
so they work without JavaScript; the services decide, the views show."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from wagtail.models import Page

from inputs.ids import parse_id
from inputs.refusals import Refused
from people.names import display_name

from .gates import gate
from . import selectors
from .models import PanelMember
from .panel_forms import AppointForm, ConflictForm
from .services import panel as services


def _open(request, call, perm, template):
    """None, or the answer for a person who may not be here (prizes/gates.py)."""
    return gate(request, call, perm, template)[1]


def _panel_url(prize):
    return Page.get_url(prize) + "panel/"


def _seat(prize, raw_user_id):
    member = PanelMember.objects.filter(prize=prize, user_id=parse_id(raw_user_id)).select_related(
        "user__profile").first()
    if member is None:
        raise Http404("No such member of the panel.")
    return member


def panel(request, call):
    answer = _open(request, call, "prizes.manage_panel", "prizes/panel.html")
    if answer is not None:
        return answer
    prize = call
    form = AppointForm()
    action = request.POST.get("action") if request.method == "POST" else None
    problem = None
    if action == "appoint":
        form = AppointForm(request.POST)
        if form.is_valid():
            user, chair = form.user, form.cleaned_data["chair"]
            seat = PanelMember.objects.filter(prize=prize, user=user).values_list("is_chair", flat=True).first()
            if seat is not None and (seat or not chair):
                form.add_error("account", f"{display_name(user)} is already on the panel"
                                          f"{' as its chair' if seat else ''}.")
            else:
                try:
                    services.appoint(request.user, prize, user, chair=chair)
                except Refused as error:
                    form.add_error("account", error.message)
                else:
                    messages.success(request, f"{display_name(user)} is on the panel"
                                              f"{' as its chair' if chair else ''}: we have told them.")
                    return redirect(_panel_url(prize))
    elif action == "chair":
        member = _seat(prize, request.POST.get("user"))
        services.appoint(request.user, prize, member.user, chair=True)
        messages.success(request, f"{display_name(member.user)} is the panel's chair.")
        return redirect(_panel_url(prize))
    elif action == "remove":
        member = _seat(prize, request.POST.get("user"))
        if request.POST.get("confirm") != "yes":
            return render(request, "prizes/panel.html", {
                "page": prize, "removing": member, "waiting": selectors.outstanding(prize.pk, member.user_id),
                "conflict_count": member.conflicts.count(),
            })
        try:
            services.remove(request.user, prize, member.user)
        except Refused as error:
            problem = error
        else:
            messages.success(request, f"{display_name(member.user)} is no longer on the panel.")
            return redirect(_panel_url(prize))
    elif action is not None:
        problem = Refused("Choose what to do from the page.", status=400)
    status = problem.status if problem else (400 if form.errors else 200)
    return render(request, "prizes/panel.html", {
        "page": prize, "rows": selectors.panel_rows(prize), "form": form, "problem": problem,
        "conflicts_url": _panel_url(prize) + "conflicts/",
    }, status=status)


def conflicts(request, call):
    answer = _open(request, call, "prizes.declare_conflict", "prizes/conflicts.html")
    if answer is not None:
        return answer
    prize = call
    here = _panel_url(prize) + "conflicts/"
    form = ConflictForm()
    problem = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "declare":
        form = ConflictForm(request.POST)
        if form.is_valid():
            try:
                services.declare_conflict(request.user, prize, organisation=form.found_organisation,
                                          person=form.found_person)
            except Refused as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                named = form.found_organisation.name if form.found_organisation else display_name(form.found_person)
                messages.success(request, f"Your conflict with {named} is declared: you will not be asked to "
                                          "assess applications from them.")
                return redirect(here)
    elif action == "withdraw":
        try:
            services.withdraw_conflict(request.user, prize, parse_id(request.POST.get("conflict")) or 0)
        except Refused as error:
            problem = error
        else:
            messages.success(request, "Your declared conflict is withdrawn.")
            return redirect(here)
    elif action is not None:
        problem = Refused("Choose what to do from the page.", status=400)
    status = problem.status if problem else (400 if form.errors else 200)
    return render(request, "prizes/conflicts.html", {
        "page": prize, "form": form, "problem": problem,
        "conflicts": selectors.own_conflicts(prize, request.user),
        "locked": selectors.has_assignments(prize, request.user),
    }, status=status)
