from django.apps import AppConfig


class PilotsConfig(AppConfig):
    """From ideas to learning (issue #18): pilots that test ideas, with a
    hypothesis, a measure, dated results, the lesson and the decision; what
    became of each idea ("you said, we did"); and telling people. Pilots are
    Wagtail pages under their mission (content the team edits, with
    revisions and history); the links from ideas to pilots are data. It sits
    above ideas (docs/architecture.md), beside moderation, opinions and
    participation."""

    name = "pilots"
    verbose_name = "Pilots"

    def ready(self):
        from consult import call_page, mission_page
        from ideas import fate

        from . import idea_fate, ledger_views, selectors, signals  # noqa: F401  (signals connects the publish receivers)
        from . import page_context, pilot_page

        fate.register_pilots(idea_fate.pilots_of_ideas)
        fate.register_team_tool("pilots/_take_forward.html", idea_fate.take_forward_tool)
        fate.register_outcome(idea_fate.outcome_of)
        fate.register_holder(idea_fate.pilots_holding)

        pilot_page.register(page_context.pilot_context)
        mission_page.register_section(selectors.mission_section)
        mission_page.register_evidence(selectors.evidence_details)
        # Its links and its section on the mission page (consult names no route of ours).
        mission_page.register_part("after_calls", "pilots/_mission_ledger_link.html", order=20)
        mission_page.register_part("after_calls", "pilots/_mission_pilots.html", order=30)
        call_page.register_route("you_said_we_did", ledger_views.call_ledger)
