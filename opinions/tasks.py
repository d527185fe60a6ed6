"""The background task that recomputes a call's opinion map, and the debounce
that keeps it to one run a minute per call however fast votes arrive.

The task runs in the worker (Huey), retried (settings.TASK_RETRIES: 3 times
30 seconds apart) if it
fails (the database restarting, say), and Huey logs every failure; in tests
Huey runs tasks in-process (immediate mode)."""

import logging

from django.conf import settings
from django.core.cache import cache
from huey.contrib.djhuey import db_task

from . import services

logger = logging.getLogger("missioncommons.opinions")

DEFAULT_DEBOUNCE_SECONDS = 60


def debounce_seconds():
    """settings.OPINION_DEBOUNCE_SECONDS, 60 unless set."""
    return getattr(settings, "OPINION_DEBOUNCE_SECONDS", DEFAULT_DEBOUNCE_SECONDS)


def debounce_key(call_id):
    return f"opinions:recompute-due:{int(call_id)}"


@db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
def recompute_opinion_map(call_id):
    # Votes from now on ask for a run of their own: this one may already have
    # read the votes before they committed.
    cache.delete(debounce_key(call_id))
    outcome = services.recompute(call_id)
    if outcome.snapshot is None:
        logger.info("no opinion map for call %s: %s", call_id, outcome.reason)
    # Returns nothing: Huey would keep a returned value in its result store
    # until someone read it, and nobody does.


def request_recompute(call_id, *, at_once=False):
    """Ask the worker to recompute a call's map.

    Votes (at_once False) are debounced: the first vote after a quiet spell
    sets a per-call key that lives `debounce_seconds()` and schedules one run
    that far ahead; votes while the key lives add nothing, since that run
    reads every vote committed by then. The run deletes the key as it starts,
    so a vote during or after it schedules the next, a window later: at most
    one run a window per call. `cache.add` is atomic on Redis, so this holds
    across web processes; with the in-memory cache, per process. Should the
    worker lose the run, the key expires with the window and the next vote
    schedules again.

    Staff changes (a Pol.is import, a statement marked as one about the
    participant: at_once True) are rare and run at once."""
    delay = debounce_seconds()
    if at_once or delay <= 0:
        recompute_opinion_map(call_id)
        return True
    if not cache.add(debounce_key(call_id), 1, timeout=delay):
        return False
    recompute_opinion_map.schedule(args=(call_id,), delay=delay)
    return True
