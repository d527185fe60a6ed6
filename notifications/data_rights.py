"""A person's notifications and their settings, for their data download; on
deleting their account both go. Wired into people/data_rights.py by
ideas/apps.py (notifications and people sit side by side and import neither
the other)."""

from .models import Notification, NotificationSetting


def notification_rows(user):
    for n in Notification.objects.filter(recipient=user).order_by("pk").iterator(chunk_size=1000):
        yield {"kind": n.kind, "title": n.title, "excerpt": n.excerpt, "link": n.link, "created_at": n.created_at,
               "read_at": n.read_at, "emailed_at": n.emailed_at}


def setting_rows(user):
    for s in NotificationSetting.objects.filter(user=user).order_by("kind"):
        yield {"kind": s.kind, "delivery": s.delivery}


def erase(user, remove_contributions):
    Notification.objects.filter(recipient=user).delete()
    NotificationSetting.objects.filter(user=user).delete()
