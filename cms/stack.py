"""Which stack this process runs on: the embedded default or the scale-out one."""

from django.conf import settings
from django.db import connection


def database_name():
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def channel_layer_name():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    return "redis" if "redis" in backend.lower() else "memory"


def search_name():
    return "elasticsearch" if settings.ELASTICSEARCH_URL else "database"


def describe():
    return {"database": database_name(), "channel_layer": channel_layer_name(), "search": search_name()}
