"""The notification list, its mark-read buttons, the settings page and the
unsubscribe page. Every change is a POST with a CSRF token (the unsubscribe
POST excepted: its signed token is the proof, and mail clients post it
without a session, RFC 8058); every page works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from inputs.redirects import safe_next

from . import selectors, services, tokens
from .forms import SettingsForm
from .kinds import offered as kinds_offered
from .models import Kind

PER_PAGE = 20


def _back(request):
    return redirect(safe_next(request, reverse("notifications")))


@login_required
def notification_list(request):
    paginator = Paginator(selectors.notifications_for(request.user.pk), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page_obj": page_obj,
        "notifications": page_obj.object_list,
    })


@login_required
@require_POST
def mark_read(request, notification_id):
    try:
        services.mark_read(request.user.pk, notification_id)
    except services.NotificationError as error:
        messages.error(request, error.message)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    changed = services.mark_all_read(request.user.pk)
    messages.success(request, "All your notifications are marked as read." if changed else "You have no unread notifications.")
    return _back(request)


@login_required
def notification_settings(request):
    current = selectors.deliveries_of(request.user.pk)
    offered = kinds_offered(request.user.pk)
    if request.method == "POST":
        form = SettingsForm(request.POST, initial_deliveries=current, kinds=offered)
        if form.is_valid():
            try:
                services.update_settings(request.user.pk, form.cleaned_data)
            except services.NotificationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, "Your notification settings are saved.")
                return redirect("notification_settings")
    else:
        form = SettingsForm(initial_deliveries=current, kinds=offered)
    return render(request, "notifications/settings.html", {"form": form}, status=400 if form.errors else 200)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows what the link turns off and a button; POST turns it off.
    A GET never changes anything: mail scanners open links by themselves."""
    try:
        _, kinds = tokens.read(token)
    except tokens.BadToken as error:
        return render(request, "notifications/unsubscribe.html", {"error": str(error)}, status=400)
    labels = [Kind(kind).label for kind in kinds]
    if request.method == "POST":
        try:
            services.unsubscribe(token)
        except services.NotificationError as error:
            return render(request, "notifications/unsubscribe.html", {"error": error.message}, status=error.status)
        if request.POST.get("List-Unsubscribe") == "One-Click":  # a mail client's one-click POST (RFC 8058)
            return HttpResponse("Unsubscribed.", content_type="text/plain")
        return render(request, "notifications/unsubscribe.html", {"done": True, "labels": labels})
    return render(request, "notifications/unsubscribe.html", {
        "labels": labels, "action": reverse("notifications_unsubscribe", args=[token]),
    })
