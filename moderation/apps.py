from django.apps import AppConfig
from django.urls import reverse


class ModerationConfig(AppConfig):
    """Flags, the queue, decisions, the audit log, suspensions and the
    transparency report. It sits above `ideas` (docs/architecture.md): it acts
    on ideas and comments through their services and the one visibility
    module, and nothing in `ideas` imports it; what ideas must tell it (an
    automatic hold) comes as a signal (ideas/signals.py)."""

    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from consult import mission_page
        from ideas import links

        from . import data_rights, receivers  # noqa: F401  connects the signal receivers

        data_rights.register()
        # The mission team's queue link and the transparency link on the
        # mission page (consult names no route of ours).
        mission_page.register_part("tools", "moderation/_mission_queue_link.html")
        mission_page.register_part("end", "moderation/_mission_transparency.html", order=20)
        # Reporting and moderating from ideas' pages (ideas names no route of ours).
        links.register("flag_idea", lambda pk: reverse("idea_flag", args=[pk]))
        links.register("flag_comment", lambda pk: reverse("comment_flag", args=[pk]))
        links.register("moderate_idea", lambda mission_slug, pk: reverse("moderation_item", args=[mission_slug, "idea", pk]))
