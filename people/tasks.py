"""Invitation emails, sent by the background worker (never from the
request thread) and retried when the mail server fails."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from huey.contrib.djhuey import db_task

from .models import Invitation


@db_task(retries=3, retry_delay=30)
def send_invitation(invitation_id, token):
    invitation = Invitation.objects.select_related("organisation", "invited_by__profile").filter(
        pk=invitation_id, accepted_at__isnull=True, withdrawn_at__isnull=True
    ).first()
    if invitation is None:  # withdrawn or replaced before the worker got to it
        return
    from .names import display_name

    link = settings.SITE_URL.rstrip("/") + reverse("people:accept_invitation", args=[token])
    who = display_name(invitation.invited_by)
    organisation = invitation.organisation.name
    send_mail(
        f"[{settings.SITE_NAME}] {who} invited you to join {organisation}",
        f"{who} invited you to join {organisation} on {settings.SITE_NAME}, so you can submit ideas on its "
        f"behalf.\n\nAccept the invitation (the link works once, until {invitation.expires_at:%-d %B %Y}):\n"
        f"{link}\n\nIf you were not expecting this, you can ignore this email.\n",
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )
