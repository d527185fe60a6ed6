from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas, comments and votes"

    def ready(self):
        from consult import call_page

        from . import permissions, selectors, views  # noqa: F401  permissions registers the rules

        # The call page's sub-pages and the ideas part of its context
        # (consult/call_page.py says why they are registered, not imported).
        call_page.register_route("submit", views.submit_to_call)
        call_page.register_route("follow", views.follow_call)
        call_page.register_context(selectors.call_page_context)

        # Who may follow call:/idea: topics and what a tally carries: live is
        # a leaf and asks us (live/topics.py says why).
        from . import live_topics

        live_topics.register()

        # Every public idea's document, for `search_index --rebuild`: search
        # is a leaf and asks us (search/backend.py says why).
        from search import backend as search_backend

        from . import search_documents

        search_backend.register_source(search_documents.KIND, search_documents.public_documents)
