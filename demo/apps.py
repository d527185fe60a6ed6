from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader (`manage.py load_demo`). No models: it fills the apps
    below it through their services."""

    name = "demo"
    verbose_name = "Demo content"
