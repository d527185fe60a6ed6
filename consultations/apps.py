from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Consultations that ask questions (issue #29): a consultation page
    under a mission with its paper, dates and questions built in the admin
    (free text, choices, an agree–disagree scale, ranking, number, yes/no
    with why; sections; routing), answered one question per page as GOV.UK
    services ask. An instrument above ideas (docs/architecture.md), beside
    prizes; the question rules are a pure core (consultations/questions.py)."""

    name = "consultations"
    verbose_name = "Consultations"

    def ready(self):
        # Answering (consultations/respond_views.py): who answers, a page per
        # question, check answers, confirmation, the emailed links.
        from . import respond_views, routes

        routes.register("respond", respond_views.respond)
        routes.register("question", respond_views.question)
        routes.register("check", respond_views.check)
        routes.register("done", respond_views.done)
        routes.register("resume", respond_views.resume)
        routes.register("confirm", respond_views.confirm)
        routes.register_context(respond_views.page_context)

        # The team's analysis (consultations/analysis_views.py); importing
        # tasks registers the search for campaigns with the worker.
        from . import analysis_views, tasks  # noqa: F401

        routes.register("analysis", analysis_views.analysis)

        # The published response, published responses and the team's export
        # (consultations/published_views.py), and the response in the
        # mission's "you said, we did" (pilots' ledger, as prizes do).
        from pilots import ledger_views

        from . import published_views, publishing

        routes.register("response", published_views.response)
        routes.register("response_edit", published_views.response_edit)
        routes.register("responses", published_views.responses)
        routes.register("export", published_views.export)
        routes.register_context(publishing.page_context)
        ledger_views.register_part("after_ideas", "consultations/_ledger_consultations.html")
        ledger_views.register_context(publishing.ledger_context)

        # The mission page lists the mission's public consultations.
        from consult import mission_page

        from . import mission_context

        mission_page.register_section(mission_context.mission_section)
        mission_page.register_part("after_calls", "consultations/_mission_consultations.html", order=25)
