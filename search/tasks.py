"""Search's background work: send what Elasticsearch missed, every minute.

Index changes Elasticsearch could not take wait in the search outbox
(search/outbox.py). This periodic task drains it in the worker
(`manage.py run_huey`; the compose `worker` service), replacing the loop
service that ran `search_index --drain` every 30 seconds. On every
configuration it also indexes the changes a process committed but died
before indexing (search/outbox.py); without ELASTICSEARCH_URL that is all.

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

from . import outbox

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def drain_search_outbox():
    """Index what a process died before indexing, and send the search outbox
    to Elasticsearch. Returns (sent, left)."""
    sent, left = outbox.drain()
    if sent or left:
        log.info("search outbox: %d sent to Elasticsearch, %d left", sent, left)
    return sent, left
