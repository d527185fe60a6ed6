from huey.contrib.djhuey import db_task

from . import services


@db_task(retries=3, retry_delay=30)
def refresh(scope, scope_id):
    services.refresh(scope, scope_id)
