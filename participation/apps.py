from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """Who takes part (issue #17): a participation and equity dashboard for
    each mission and each call, against references the mission team sets.
    The counting is participation/selectors.py, from the one visibility
    query; the judging is the pure core participation/equity.py. It sits
    above ideas (docs/architecture.md), beside moderation and opinions."""

    name = "participation"
    verbose_name = "Participation"

    def ready(self):
        from consult import call_page, mission_page

        from . import views

        call_page.register_route("participation", views.call_dashboard)
        mission_page.register_part("after_calls", "participation/_mission_link.html", order=10)
