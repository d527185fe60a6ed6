"""Invitation emails, sent by the background worker (never from the
request thread) and retried when the mail server fails."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.html import format_html
from huey.contrib.djhuey import db_task

from .models import Invitation
from .names import display_name

# After each of these a zero-width space: mail clients turn "evil.example.com"
# or "https://…" typed as an organisation's name into a link, and a link in
# our email would be ours. The name still reads the same.
_LINK_JOINS = ".@:/\\"
ZERO_WIDTH_SPACE = "\u200b"


def unlinkable(text):
    """Text as plain words in an email: nothing in it a mail client would
    make a link of (escape it too for HTML)."""
    return "".join(ch + ZERO_WIDTH_SPACE if ch in _LINK_JOINS else ch for ch in text)


@db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
def send_invitation(invitation_id, token):
    invitation = Invitation.objects.select_related("organisation", "invited_by__profile").filter(
        pk=invitation_id, accepted_at__isnull=True, withdrawn_at__isnull=True
    ).first()
    if invitation is None:  # withdrawn or replaced before the worker got to it
        return
    link = settings.SITE_URL.rstrip("/") + reverse("people:accept_invitation", args=[token])
    # The only link in the email is ours: the names people chose are words.
    who = unlinkable(display_name(invitation.invited_by))
    organisation = unlinkable(invitation.organisation.name)
    until = f"{invitation.expires_at:%-d %B %Y}"
    html = format_html(
        "<p>{who} invited you to join <strong>{organisation}</strong> on {site}, so you can submit ideas on its "
        'behalf.</p>\n<p><a href="{link}">Accept the invitation</a> (the link works once, until {until}).</p>\n'
        "<p>If you were not expecting this, you can ignore this email.</p>\n",
        who=who, organisation=organisation, site=settings.SITE_NAME, link=link, until=until,
    )
    send_mail(
        f"[{settings.SITE_NAME}] {who} invited you to join {organisation}",
        f"{who} invited you to join {organisation} on {settings.SITE_NAME}, so you can submit ideas on its "
        f"behalf.\n\nAccept the invitation (the link works once, until {until}):\n"
        f"{link}\n\nIf you were not expecting this, you can ignore this email.\n",
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
        html_message=str(html),
    )
