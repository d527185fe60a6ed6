from django.apps import AppConfig


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = "Missions and challenge calls"

    def ready(self):
        # consult/rules.py is imported by rules' autodiscovery (settings).
        from . import roles, wagtail_hooks  # noqa: F401
        from . import live_topics, mission_views, search_documents

        mission_views.register()  # the mission page's own context and question pages
        live_topics.register()  # who may follow moderation:<mission id> (live is a leaf)
        # Missions, calls and other pages as search documents, kept in step
        # with Wagtail's signals; sources for `search_index` (search is a leaf).
        search_documents.register()
