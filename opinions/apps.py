from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    """Opinion groups, representative ideas and group-informed consensus of
    agree / disagree / pass calls (issue #15), from the pure core in
    opinions/groups.py. It sits above ideas (docs/architecture.md): it reads
    votes through the one visibility query and writes each call's snapshot and
    its ideas' consensus; ideas tells it when votes change with a signal
    (ideas/signals.py: votes_changed), received in opinions/receivers.py."""

    name = "opinions"
    verbose_name = "Opinion map"

    def ready(self):
        from consult import call_page

        from . import receivers, views

        receivers.connect()
        # The call page's results/ sub-page (consult/call_page.py says why
        # sub-pages are registered, not imported).
        call_page.register_route("results", views.results_page)
