from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """Flags, the queue, decisions, the audit log, suspensions and the
    transparency report. It sits above `ideas` (docs/architecture.md): it acts
    on ideas and comments through their services and the one visibility
    query, and nothing in `ideas` imports it. The rows it writes (flags,
    audit entries, suspensions) stay defined in ideas/models.py for now:
    moving a model between apps is a state-only migration we left for a
    quiet moment, and ideas' own permission rules read suspensions."""

    name = "moderation"
    verbose_name = "Moderation"
