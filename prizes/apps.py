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
        # Applications' files: download and removal (attaching is on the apply
        # page); importing scan_tasks registers the worker's scans with Huey.
        from . import file_views, scan_tasks  # noqa: F401

        call_page.register_route("prize_file", file_views.download)
        call_page.register_route("prize_file_remove", file_views.remove)
        # The panel's screens: the team appoints, an assessor declares conflicts.
        from . import panel_views

        call_page.register_route("prize_panel", panel_views.panel)
        call_page.register_route("prize_conflicts", panel_views.conflicts)
        # Assigning and assessing; the panel sheet's live topic (sheet:<prize
        # id>) is followed by those who see the sheet (prizes.view_sheet).
        from live import topics

        from . import assess_views, rules

        call_page.register_route("prize_assign", assess_views.assign)
        call_page.register_route("prize_assess_list", assess_views.assess_list)
        call_page.register_route("prize_assess", assess_views.assess)
        call_page.register_route("prize_reassign", assess_views.reassign)
        topics.register_kind(topics.SHEET, rules.authorise_sheet)
        # The panel sheet, decisions and published results; the applicant's
        # own application page; results on the call page.
        from . import sheet_views

        call_page.register_route("prize_sheet", sheet_views.sheet)
        call_page.register_route("prize_sheet_row", sheet_views.sheet_row)
        call_page.register_route("prize_publish", sheet_views.publish)
        call_page.register_route("prize_application", sheet_views.application_page)
        call_page.register_part("after_brief", "prizes/_call_results.html", order=40)
        # "You said, we did" (pilots) tells what became of the applications too.
        from pilots import ledger_views

        ledger_views.register_part("after_ideas", "prizes/_ledger_prizes.html")
        ledger_views.register_context(page_context.ledger_context)
        # Seats on panels and declared conflicts are the person's data: in
        # their download, as are applications and assessments; deleting the
        # account erases them (prizes/data_rights.py).
        from . import data_rights as prize_data

        data_rights.register("prize panels", selectors.data_rows, prize_data.erase_panel_seats, order=60)
        data_rights.register("prize applications", prize_data.application_rows, prize_data.erase_applications,
                             order=61)
        data_rights.register("prize assessments", prize_data.assessment_rows, order=62)
