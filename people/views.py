"""Pages to manage one's name and one's organisations. Each POST goes
through people/services.py; a refusal becomes a form error (with what was
typed kept) or a message. Public pages that list ideas live in ideas
(ideas/people_views.py), which may read ideas' visibility."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from inputs.redirects import safe_next
from inputs.refusals import Refused, can

from . import data_rights, ratelimits, selectors, services, validation
from .forms import DeleteAccountForm, DisplayNameForm, InvitationForm, OrganisationForm, ResetNameForm
from .models import Invitation, Organisation
from .names import display_name


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _next(request, default):
    return safe_next(request, default, also_get=True)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = services.ensure_profile(request.user)
    form = DisplayNameForm(request.POST or None, initial={"display_name": profile.display_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_display_name(request.user, form.cleaned_data["display_name"])
        except Refused as error:
            _form_error(form, error)
        else:
            messages.success(request, "Your display name is saved.")
            return redirect(_next(request, reverse("people:profile_edit")))
    return render(request, "people/profile_edit.html", {
        "form": form, "profile": profile, "memberships": selectors.memberships_of(request.user),
        "next": request.GET.get("next", ""),
    }, status=400 if form.errors else 200)


def _organisation_initial(organisation):
    return {f: getattr(organisation, f) for f in ("name", "type", "size", "region", "number_kind", "registered_number")}


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimits.enforce(request, "organisation")
            organisation = services.create_organisation(request.user, **form.cleaned_data)
        except Refused as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{organisation.name} is added. You are its admin: invite your colleagues.")
            return redirect(_next(request, reverse("people:members", args=[organisation.slug])))
    return render(request, "people/organisation_form.html", {"form": form, "next": request.GET.get("next", "")},
                  status=400 if form.errors else 200)


def _organisation(slug):
    return get_object_or_404(Organisation, slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = _organisation(slug)
    if not can(request.user, "people.manage_organisation", organisation):
        return HttpResponseForbidden("Only this organisation's admins can change it.")
    form = OrganisationForm(request.POST or None, initial=_organisation_initial(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(request.user, organisation, **form.cleaned_data)
        except Refused as error:
            _form_error(form, error)
        else:
            messages.success(request, "The organisation's details are saved.")
            return redirect("people:members", organisation.slug)
    return render(request, "people/organisation_form.html", {"form": form, "organisation": organisation},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def members(request, slug):
    """Members and invitations; admins invite here (POST)."""
    organisation = _organisation(slug)
    if not can(request.user, "people.view_members", organisation):
        return HttpResponseForbidden("Only this organisation's members can see its members.")
    is_admin = can(request.user, "people.manage_organisation", organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            return HttpResponseForbidden("Only this organisation's admins can invite people.")
        if form.is_valid():
            try:
                ratelimits.enforce(request, "invitation", organisation=organisation,
                                   recipient=_address_or_none(form.cleaned_data["email"]))
                invitation, _token = services.invite(request.user, organisation, form.cleaned_data["email"])
            except Refused as error:
                _form_error(form, error)
            else:
                messages.success(request, f"We have emailed an invitation to {invitation.email}.")
                return redirect("people:members", organisation.slug)
    return render(request, "people/members.html", {
        "organisation": organisation, "members": selectors.members(organisation), "is_admin": is_admin,
        "invitations": selectors.open_invitations(organisation) if is_admin else [], "form": form,
        "can_verify": can(request.user, "people.verify_number"),
    }, status=400 if form.errors else 200)


def _address_or_none(typed):
    """The address an invitation goes to, as its limit counts it (any
    spelling of it together); None when it is not one (the service says why)."""
    try:
        return validation.email(typed).lower()
    except Refused:
        return None


def _member_action(request, slug, user_id, action, done):
    organisation = _organisation(slug)
    person = get_object_or_404(get_user_model(), pk=user_id)
    try:
        action(organisation, person)
    except Refused as error:
        if error.status == 403:
            return HttpResponseForbidden(error.message)
        messages.error(request, error.message)
    else:
        messages.success(request, done(organisation, person))
    if person.pk == request.user.pk and not can(request.user, "people.view_members", organisation):
        return redirect("people:profile_edit")
    return redirect("people:members", organisation.slug)


@login_required
@require_POST
def member_remove(request, slug, user_id):
    return _member_action(
        request, slug, user_id, lambda o, p: services.remove_member(request.user, o, p),
        lambda o, p: f"You have left {o.name}." if p.pk == request.user.pk else f"{display_name(p)} is no longer a member.",
    )


@login_required
@require_POST
def member_admin(request, slug, user_id):
    make = request.POST.get("admin") == "1"
    return _member_action(
        request, slug, user_id, lambda o, p: services.set_admin(request.user, o, p, make),
        lambda o, p: f"{display_name(p)} is {'now' if make else 'no longer'} an admin.",
    )


@login_required
@require_POST
def invitation_withdraw(request, slug, invitation_id):
    organisation = _organisation(slug)
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=organisation)
    try:
        services.withdraw_invitation(request.user, invitation)
    except Refused as error:
        if error.status == 403:
            return HttpResponseForbidden(error.message)
        messages.error(request, error.message)
    else:
        messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("people:members", organisation.slug)


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """The link from the email. Signed out, it asks the person to sign in
    (or create an account) and come back; the invitation is checked on
    every step, so a used or withdrawn link says so."""
    try:
        invitation = services.invitation_for(token)
    except Refused as error:
        return render(request, "people/invitation_problem.html", {"message": error.message}, status=error.status)
    if request.method == "POST":
        try:
            organisation = services.accept_invitation(request.user, token)
        except Refused as error:
            return render(request, "people/invitation_problem.html", {"message": error.message,
                                                                       "invitation": invitation}, status=error.status)
        messages.success(request, f"You are now a member of {organisation.name}. You can submit ideas on its behalf.")
        return redirect(reverse("organisation", args=[organisation.slug]))
    # Whoever holds the link sees whom it was for only in part.
    return render(request, "people/invitation.html", {"invitation": invitation, "token": token,
                                                      "sent_to": validation.masked_email(invitation.email)})


@login_required
@require_POST
def verify_number(request, slug):
    organisation = _organisation(slug)
    try:
        services.verify_number(request.user, organisation)
    except Refused as error:
        if error.status == 403:
            return HttpResponseForbidden(error.message)
        messages.error(request, error.message)
    else:
        messages.success(request, f"The registered number of {organisation.name} is confirmed.")
    return redirect(_next(request, reverse("organisation", args=[organisation.slug])))


@login_required
@require_POST
def reset_name(request, user_id):
    person = get_object_or_404(get_user_model(), pk=user_id)
    form = ResetNameForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.reset_display_name(request.user, person, reason)
    except Refused as error:
        if error.status == 403:
            return HttpResponseForbidden(error.message)
        messages.error(request, error.message)
    else:
        messages.success(request, "The display name is reset. The person will be asked to choose another.")
    return redirect(reverse("profile", args=[person.pk]))



@login_required
@require_http_methods(["GET"])
def your_data(request):
    return render(request, "people/your_data.html", {"form": DeleteAccountForm(),
                                                     "sections": data_rights.section_names()})


@login_required
@require_http_methods(["GET"])
def download_data(request):
    """Everything held about the signed-in person, as one JSON file,
    streamed (people/data_rights.py)."""
    try:
        ratelimits.enforce(request, "data_download")
    except Refused as error:
        messages.error(request, error.message)
        return render(request, "people/your_data.html", {"form": DeleteAccountForm(),
                                                         "sections": data_rights.section_names()},
                      status=error.status)
    now = timezone.now()
    meta = {"service": settings.SITE_NAME, "site": settings.SITE_URL, "account_id": request.user.pk,
            "exported_at": now.isoformat(), "sections": data_rights.section_names()}
    response = StreamingHttpResponse(data_rights.stream_export(request.user, meta),
                                     content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mission-commons-my-data-{now:%Y-%m-%d}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def delete_account(request):
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return render(request, "people/your_data.html", {"form": form, "sections": data_rights.section_names()},
                      status=400)
    user = request.user
    data_rights.delete_account(user, remove_contributions=form.cleaned_data["contributions"] == "remove")
    logout(request)
    messages.success(request, "Your account is deleted. Thank you for taking part.")
    return redirect("/")
