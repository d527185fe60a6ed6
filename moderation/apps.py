from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """Flags, the queue, decisions, the audit log, suspensions and the
    transparency report. It sits above `ideas` (docs/architecture.md): it acts
    on ideas and comments through their services and the one visibility
    module, and nothing in `ideas` imports it; what ideas must tell it (an
    automatic hold) comes as a signal (ideas/signals.py)."""

    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from . import data_rights, receivers  # noqa: F401  connects the signal receivers

        data_rights.register()
