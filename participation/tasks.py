from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=30)
def refresh(scope, scope_id):
    from .services import refresh as run

    run(scope, scope_id)
