from django.apps import AppConfig


class KindAppConfig(AppConfig):
    """A test-only app above ideas: one kind of contribution, registered once."""

    name = "tests.kindapp"
    label = "kindapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ideas import kinds

        from .kind import NOTE

        kinds.register(NOTE)
