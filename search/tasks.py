"""Search's background work: send what Elasticsearch missed, every minute.

Index changes Elasticsearch could not take wait in the search outbox
(search/outbox.py). This periodic task drains it in the worker
(`manage.py run_huey`; the compose `worker` service), replacing the loop
service that ran `search_index --drain` every 30 seconds. Without
ELASTICSEARCH_URL there is no outbox to drain and it returns at once.

No retries: the next minute is the retry, and `outbox.drain` leaves what it
could not send queued. Every consumer enqueues periodic tasks, so with
several workers a minute may see several drains, even at once; that is
safe, because a drain re-reads each item as it is now and removes a row only
if it was not queued again meanwhile (search/outbox.py). Failures are logged
with the task's name and id by the handlers cms connects (cms/tasks.py).

search is a leaf app: it imports huey and Django, never another app of
ours."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import backend, outbox

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def drain_search_outbox():
    """Send the search outbox to Elasticsearch. Returns (sent, left), or None
    when search runs on the database only."""
    if not backend.uses_elasticsearch():
        return None
    sent, left = outbox.drain()
    if sent or left:
        log.info("search outbox: %d sent to Elasticsearch, %d left", sent, left)
    return sent, left
