"""Background work: the shared conventions, and the log of every failure.

Why Huey (huey.contrib.djhuey): it is small, maintained, and has what we
need built in — retries with a delay, periodic (cron-like) tasks, and
storages that fit both ways Mission Commons runs. On the embedded default
the queue is a SQLite file beside the database, so `make run` needs no
broker; with REDIS_URL it is Redis, the server the scale-out stack already
has, and any number of `run_huey` consumers share it safely (a task is taken
by exactly one). Tests run tasks in-process (immediate mode,
cms/settings/test.py). Celery would need a broker even on a laptop and far
more configuration; the `django.tasks` API (Django 6, django-tasks before
it) defines neither retries nor periodic tasks, and we are on Django 5.2.

Declaring a task, in any app (a lower app declares its own in its
`tasks.py` without importing cms; `run_huey` imports every app's
`tasks.py`):

    from huey import crontab
    from huey.contrib.djhuey import db_periodic_task, db_task

    @db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
    def recompute(call_id): ...

    @db_periodic_task(crontab(minute="*"))
    def every_minute(): ...

`db_task` closes stale database connections around the task. The standard
options are settings.TASK_RETRIES and TASK_RETRY_DELAY (RETRIES and
RETRY_DELAY below); `task()` applies them for cms.
Periodic tasks take no retries: the next period is their retry, and every
consumer enqueues them, so they must be safe to run twice at once.

A task that fails is never lost silently: `connect_failure_logging`
(called once, from CmsConfig.ready) logs every failure with the task's
name, id and exception, says whether it will be retried, and logs as
errors the tasks that gave up, expired or were cut off by a stopping
worker; a task cut off by a worker stopping at once is queued again (Huey's
SIGNAL_INTERRUPTED). Huey's own "huey" logger adds the traceback in the
worker.

Huey (2.6) takes a task off the queue as a worker starts it and has no
acknowledgement: a worker killed outright (`kill -9`, the machine lost) loses
the task it was running. What must survive that is kept in the database,
not only in the queue: index changes wait in the search outbox, written in
the change's own transaction (search/outbox.py), and a participation
recount asked for is asked again by the next view a minute later."""

import datetime
import logging
import threading

from django.conf import settings
from huey import signals as S
from huey.api import PeriodicTask
from huey.contrib.djhuey import HUEY, db_task

from live import relay

log = logging.getLogger(__name__)

RETRIES = settings.TASK_RETRIES
RETRY_DELAY = settings.TASK_RETRY_DELAY  # seconds


def task(**options):
    """`db_task` with the standard retries; any option may be overridden."""
    return db_task(**{"retries": RETRIES, "retry_delay": RETRY_DELAY, **options})


def label(task):
    """`app.module.function` of a task instance, as the log names it."""
    return f"{type(task).__module__}.{task.name}"


def _is_periodic(task):
    return isinstance(task, PeriodicTask)


def on_error(signal, task, exc=None):
    """A task raised. `task.retries` is what is left before this failure's retry."""
    if task.retries:
        log.warning(
            "task %s %s failed: %r; retrying in %ss (%d %s left)",
            label(task), task.id, exc, task.retry_delay or 0, task.retries,
            "retry" if task.retries == 1 else "retries", exc_info=exc,
        )
    elif _is_periodic(task):
        log.error("periodic task %s %s failed: %r; it runs again at its next period", label(task), task.id, exc, exc_info=exc)
    else:
        log.error("task %s %s failed for good: %r; no retries left", label(task), task.id, exc, exc_info=exc)


def on_retrying(signal, task):
    log.info("task %s %s is queued again (%d more after this)", label(task), task.id, task.retries - 1)


def on_expired(signal, task):
    log.error("task %s %s expired before a worker took it; it was not run", label(task), task.id)


def on_locked(signal, task):
    if task.retries:
        log.warning("task %s %s found its lock taken; retrying in %ss", label(task), task.id, task.retry_delay or 0)
    else:
        log.error("task %s %s found its lock taken and was not run", label(task), task.id)


def on_interrupted(signal, task, huey=None):
    """A worker stopped at once (SIGTERM) with the task running: Huey took it
    off the queue and tells us with SIGNAL_INTERRUPTED, so it goes back on
    the queue to run again in full (a task is written to be safe to run
    twice, as a retry runs it again). A periodic task is not: its next period
    is its retry."""
    if _is_periodic(task):
        log.error("periodic task %s %s was interrupted by the worker stopping; it runs again at its next period",
                  label(task), task.id)
        return
    log.error("task %s %s was interrupted by the worker stopping; it is queued again", label(task), task.id)
    (huey or HUEY).enqueue(task)


_HANDLERS = (
    (on_error, S.SIGNAL_ERROR),
    (on_retrying, S.SIGNAL_RETRYING),
    (on_expired, S.SIGNAL_EXPIRED),
    (on_locked, S.SIGNAL_LOCKED),
    (on_interrupted, S.SIGNAL_INTERRUPTED),
)
_connected = set()
_connect_lock = threading.Lock()


def connect_failure_logging(huey=HUEY):
    """Connect the handlers above to `huey`'s signals, once per instance
    (connecting twice would log every failure twice)."""
    with _connect_lock:
        if id(huey) in _connected:
            return
        for handler, signal in _HANDLERS:
            huey.signal(signal)(handler)
        _connected.add(id(huey))


@HUEY.on_startup("live-relay")
def mark_worker_as_live_publisher():
    """Run by each worker of `run_huey` as it starts (never by the server,
    nor in immediate mode): this process serves no sockets, so on the
    in-memory channel layer (no REDIS_URL) the live events its tasks publish,
    such as a recomputed opinion map, go to the server through the relay
    table (live/relay.py). With REDIS_URL it changes nothing."""
    relay.mark_publisher()


def run_scheduled(huey=HUEY, seconds_ahead=0, now=None):
    """Run the tasks whose time has come on `huey`'s schedule (retries after
    their delay, `.schedule(delay=...)` calls), as the consumer's scheduler
    would, until none is due; `now` is a naive UTC datetime (default: now),
    `seconds_ahead` moves it later. For immediate mode, where no consumer
    runs: tests and debugging. Returns how many ran."""
    now = (now or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)) + datetime.timedelta(seconds=seconds_ahead)
    ran = 0
    while due := huey.read_schedule(now):
        for item in due:
            huey.execute(item, now)
            ran += 1
    return ran
