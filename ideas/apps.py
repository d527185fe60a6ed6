from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas, comments and votes"

    def ready(self):
        from . import permissions  # noqa: F401  registers the rules
