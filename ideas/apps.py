from django.apps import AppConfig
from django.urls import reverse


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
        call_page.register_part("who_may_submit", "ideas/_call_who_may_submit.html")
        call_page.register_part("idea_tools", "ideas/_call_follow_tag.html")

        # How many public ideas answer each learning question, for the
        # mission page (consult/mission_page.py says why it is registered).
        from consult import mission_page

        from . import selectors

        mission_page.register_question_ideas(selectors.question_idea_counts)
        mission_page.register_part("tools", "ideas/_mission_follow.html", order=90)  # after the others' links

        # Who may follow call:/idea: topics and what a tally carries: live is
        # a leaf and asks us (live/topics.py says why).
        live_topics.register()

        # Ideas and comments as search documents: kept in step after every
        # commit that changes them or their call, and the sources for
        # `search_index --rebuild/--check` (search is a leaf and asks us:
        # search/backend.py says why).
        search_documents.register()

        # A renamed organisation's ideas carry its new name (the name is
        # stored on each idea, as it was when submitted).
        from . import organisations

        organisations.connect()

        # A person's contributions in their data download, and what deleting
        # their account does to them (people/data_rights.py says why).
        from . import own_kinds
        from .services import erasure

        # Ideas and comments as kinds of contribution (ideas/kinds.py): what
        # moderation, search, the data download and live pages ask of them.
        own_kinds.register()
        erasure.register()
        # Notifications sit beside people and cannot register themselves there.
        from notifications import data_rights as notification_data
        from people import data_rights

        data_rights.register("notifications", notification_data.notification_rows, notification_data.erase, order=40)
        data_rights.register("notification_settings", notification_data.setting_rows, order=41)

        # The mission teams' alerts are offered in a person's notification
        # settings only when they hold a role in a mission (notifications/kinds.py
        # says why it is registered).
        from consult.models import MissionMembership
        from notifications import kinds
        from notifications.models import Kind

        kinds.register_audience(Kind.TEAM, lambda user_id: MissionMembership.objects.filter(user_id=user_id).exists())

        # A person's profile and an organisation's page are ours (ideas/people_views.py):
        # people's templates link them through people/links.py.
        from people import links as people_links

        people_links.register("profile", lambda user_id: reverse("profile", args=[user_id]))
        people_links.register("organisation", lambda slug: reverse("organisation", args=[slug]))
