"""The background work of consultations: finding campaign responses after
responses arrive (consultations/tallies.py schedules it, at most once a
minute per consultation)."""

from django.conf import settings
from django.core.cache import cache
from huey.contrib.djhuey import db_task

from .services import analysis


def pending_key(consultation_id: int) -> str:
    """The cache key held while a search for campaigns is scheduled."""
    return f"consultations:campaigns:{consultation_id}"


@db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
def find_campaigns(consultation_id: int) -> None:
    cache.delete(pending_key(consultation_id))
    analysis.store_campaigns(consultation_id)
