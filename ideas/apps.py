from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas, comments and votes"

    def ready(self):
        # Imported here, not at the top: models must be loaded first.
        # ideas/rules.py is imported by rules' autodiscovery (settings).
        from consult import call_page

        from . import live_topics, search_documents, views

        # The call page's sub-pages and the ideas part of its context
        # (consult/call_page.py says why they are registered, not imported).
        call_page.register_route("submit", views.submit_to_call)
        call_page.register_route("follow", views.follow_call)
        call_page.register_context(views.call_page_context)

        # Who may follow call:/idea: topics and what a tally carries: live is
        # a leaf and asks us (live/topics.py says why).
        live_topics.register()

        # Ideas and comments as search documents: kept in step after every
        # commit that changes them or their call, and the sources for
        # `search_index --rebuild/--check` (search is a leaf and asks us:
        # search/backend.py says why).
        search_documents.register()
