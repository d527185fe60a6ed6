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
        from . import receivers

        receivers.connect()
