from django.conf import settings
from huey.contrib.djhuey import db_task


@db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
def refresh(scope, scope_id):
    from .services import refresh as run

    run(scope, scope_id)
