from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications people can manage (issue #16): the in-site list, each
    person's settings per kind and delivery, emails and digests sent by the
    background worker. It sits beside consult, below ideas and moderation
    (docs/architecture.md), which tell it what happened."""

    name = "notifications"
    verbose_name = "Notifications"
