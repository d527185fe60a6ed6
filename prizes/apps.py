from django.apps import AppConfig


class PrizesConfig(AppConfig):
    """Challenge prizes judged in the open (issue #28): a prize call is a
    kind of challenge call with stages, each with published criteria,
    questions and awards (Wagtail content); the panel's assignment and score
    moderation are pure cores (prizes/assignment.py, prizes/scoring.py). It
    sits above ideas (docs/architecture.md), beside pilots."""

    name = "prizes"
    verbose_name = "Challenge prizes"

    def ready(self):
        from consult import call_page
        from people import data_rights

        from . import page_context, selectors, views

        # The stages, criteria and awards on the call page, before anyone
        # applies (consult names no template of ours: consult/parts.py).
        call_page.register_context(page_context.prize_context)
        call_page.register_part("after_brief", "prizes/_call_stages.html")
        call_page.register_route("apply", views.apply)
        call_page.register_route("apply_check", views.check)
        call_page.register_route("apply_done", views.done)
        # Seats on panels and declared conflicts are the person's data: in
        # their download; deleting the account deletes them (on_delete CASCADE).
        data_rights.register("prize panels", selectors.data_rows, order=60)
