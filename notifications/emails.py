"""The emails: one notification at once, or a digest of several.

Every link is absolute, built from settings.SITE_URL (the site's real
address, never the request's Host), the subject carries settings.SITE_NAME,
and every email has a one-click unsubscribe link for the kinds it is about,
in its body and in the List-Unsubscribe and List-Unsubscribe-Post headers
(RFC 2369, RFC 8058)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from . import tokens
from .models import Delivery, Kind


def absolute(path):
    """The site's address followed by a path stored on a notification."""
    if not path:
        return settings.SITE_URL + "/"
    return settings.SITE_URL + (path if path.startswith("/") else "/" + path)


def unsubscribe_url(user_id, kinds):
    return absolute(reverse("notifications_unsubscribe", args=[tokens.make(user_id, kinds)]))


def _subject(text):
    return f"[{settings.SITE_NAME}] " + " ".join(str(text).split())


def _headers(url):
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _message(user, subject, template, context, kinds):
    url = unsubscribe_url(user.pk, kinds)
    body = render_to_string(
        template,
        {
            **context,
            "site_name": settings.SITE_NAME,
            "list_url": absolute(reverse("notifications")),
            "settings_url": absolute(reverse("notification_settings")),
            "unsubscribe_url": url,
            "kind_labels": [Kind(k).label for k in sorted(set(kinds))],
        },
    )
    return EmailMessage(_subject(subject), body, settings.DEFAULT_FROM_EMAIL, [user.email], headers=_headers(url))


def notification_message(notification):
    """The email for one notification (its recipient loaded)."""
    return _message(
        notification.recipient,
        notification.title,
        "notifications/email/notification.txt",
        {"notification": notification, "link": absolute(notification.link) if notification.link else ""},
        [notification.kind],
    )


def digest_message(user, notifications, period):
    """One email listing these notifications, grouped by kind, oldest first."""
    groups = {}
    for n in notifications:
        groups.setdefault(n.kind, []).append({"n": n, "link": absolute(n.link) if n.link else ""})
    label = "daily" if period == Delivery.DAILY else "weekly"
    count = len(notifications)
    subject = f"Your {label} digest: {count} notification{'s' if count != 1 else ''}"
    return _message(
        user,
        subject,
        "notifications/email/digest.txt",
        {
            "period": label,
            "count": count,
            "groups": [(Kind(kind).label, groups[kind]) for kind in Kind.values if kind in groups],
        },
        list(groups),
    )
