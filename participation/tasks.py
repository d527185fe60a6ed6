from django.conf import settings
from huey.contrib.djhuey import db_task

from . import services


@db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
def refresh(scope, scope_id):
    services.refresh(scope, scope_id)
