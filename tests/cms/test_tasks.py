"""Background work (cms/tasks.py, search/tasks.py, HUEY in cms/settings):
tasks run in-process in tests, a failing task is retried after its delay and
every failure is logged, the queue is SQLite without REDIS_URL and Redis
with it (several consumers sharing either take each task once), and the
periodic task drains the search outbox."""

import ast
import datetime
import logging
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.utils.module_loading import autodiscover_modules, import_string
from huey import signals as S
from huey.api import PeriodicTask
from huey.contrib.djhuey import HUEY, db_task
from huey.exceptions import TaskException
from huey.storage import MemoryStorage

from cms import tasks
from cms.settings.base import huey_config
from notifications import tasks as notification_tasks
from search import backend, elastic, outbox
from search import tasks as search_tasks
from tests.search.conftest import fake_es  # noqa: F401  (a fixture)

def _project_apps():
    """Every app of ours: the installed apps whose code is in this repository."""
    from django.apps import apps

    root = Path(settings.BASE_DIR).resolve()
    return {config.name.split(".")[0] for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(root) and ".venv" not in Path(config.path).parts}

calls = []


@db_task(retries=tasks.RETRIES, retry_delay=tasks.RETRY_DELAY)
def make_account(email):
    calls.append(email)
    return get_user_model().objects.create_user(username=email, email=email).pk


@db_task(retries=3, retry_delay=30)
def echo(n):
    calls.append(n)


@db_task(retries=3, retry_delay=30)
def always_fails(n):
    calls.append(n)
    raise ValueError(f"boom {n}")


@pytest.fixture(autouse=True)
def clean_queue():
    calls.clear()
    HUEY.flush()
    yield
    HUEY.flush()


def utcnow():
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def failures(caplog):
    return [r for r in caplog.records if r.name == "cms.tasks" and "failed" in r.getMessage()]


# --- In-process in tests ---------------------------------------------------------


def test_tests_run_tasks_in_process_on_an_in_memory_queue():
    assert settings.HUEY["immediate"] is True
    assert HUEY.immediate and isinstance(HUEY.storage, MemoryStorage)


@pytest.mark.django_db
def test_a_task_runs_at_the_call_and_its_result_is_there():
    result = make_account("ada@example.org")
    assert calls == ["ada@example.org"]
    assert result.get() == get_user_model().objects.get(email="ada@example.org").pk


# --- Retries and the failure log ---------------------------------------------------


def test_a_failing_task_is_retried_after_its_delay_and_each_failure_is_logged(caplog):
    caplog.set_level(logging.INFO, logger="cms.tasks")
    result = always_fails(7)
    assert calls == [7]
    with pytest.raises(TaskException, match="boom 7"):
        result.get()

    # Huey puts the retry on its schedule, 30 s out; no consumer runs in
    # immediate mode, so the test plays the consumer's scheduler.
    (retry,) = HUEY.scheduled()
    assert retry.id == result.id and retry.retries == 2
    assert datetime.timedelta(seconds=25) < retry.eta - utcnow() <= datetime.timedelta(seconds=30)
    assert tasks.run_scheduled(now=utcnow() + datetime.timedelta(seconds=20)) == 0
    assert calls == [7]
    assert tasks.run_scheduled(now=utcnow() + datetime.timedelta(seconds=31)) == 3
    assert calls == [7, 7, 7, 7]  # the first run and three retries, then no more
    assert HUEY.scheduled() == []

    logged = failures(caplog)
    assert [r.levelname for r in logged] == ["WARNING", "WARNING", "WARNING", "ERROR"]
    messages = [r.getMessage() for r in logged]
    for message in messages:
        assert "tests.cms.test_tasks.always_fails" in message
        assert result.id in message
        assert "ValueError('boom 7')" in message
    assert "3 retries left" in messages[0] and "retrying in 30s" in messages[0]
    assert "1 retry left" in messages[2]
    assert "failed for good" in messages[3]
    assert all(isinstance(r.exc_info[1], ValueError) for r in logged)  # the traceback is in the log


def test_failure_logging_is_connected_once():
    tasks.connect_failure_logging()  # CmsConfig.ready did already
    tasks.connect_failure_logging()
    receivers = HUEY._signal.receivers
    assert receivers[S.SIGNAL_ERROR].count(tasks.on_error) == 1
    assert receivers[S.SIGNAL_RETRYING].count(tasks.on_retrying) == 1
    assert receivers[S.SIGNAL_EXPIRED].count(tasks.on_expired) == 1


def test_an_expired_task_is_logged_not_dropped_silently(caplog):
    caplog.set_level(logging.INFO, logger="cms.tasks")
    task = always_fails.s(1)
    task.expires_resolved = utcnow() - datetime.timedelta(seconds=1)
    HUEY.execute(task)
    assert calls == []
    (record,) = [r for r in caplog.records if r.name == "cms.tasks"]
    assert record.levelname == "ERROR" and "expired" in record.getMessage() and task.id in record.getMessage()


def test_every_project_task_is_retried():
    """README "Background work": a task is retried 3 times, 30 s apart. Every
    app's tasks, as `run_huey` finds them (it imports every app's tasks.py)."""
    autodiscover_modules("tasks")
    project_apps = _project_apps()
    assert {"notifications", "participation", "people", "opinions", "search"} <= project_apps
    ours = [cls for cls in HUEY._registry._registry.values() if cls.__module__.split(".")[0] in project_apps]
    assert search_tasks.drain_search_outbox.task_class in ours
    modules = {cls.__module__ for cls in ours}
    assert {"notifications.tasks", "participation.tasks", "people.tasks", "opinions.tasks"} <= modules
    for cls in ours:
        if issubclass(cls, PeriodicTask):
            continue  # the next period is their retry
        assert (cls.default_retries, cls.default_retry_delay) == (tasks.RETRIES, tasks.RETRY_DELAY), \
            f"{cls.__module__}.{cls.__name__} does not follow the convention"
        assert cls.default_retries > 0


def test_every_task_module_takes_the_retry_policy_from_the_settings():
    """The policy is written once (settings.TASK_RETRIES, TASK_RETRY_DELAY):
    a tasks.py that spells `retries=3` keeps today's numbers but would not
    follow a change of the policy, so each `db_task(...)` must name them."""
    autodiscover_modules("tasks")
    modules = sorted(Path(settings.BASE_DIR, app, "tasks.py") for app in _project_apps())
    modules = [path for path in modules if path.exists()]
    assert {path.parent.name for path in modules} >= {"cms", "notifications", "opinions", "participation", "people"}
    wanted = {"retries": ("settings", "TASK_RETRIES"), "retry_delay": ("settings", "TASK_RETRY_DELAY")}
    constants = {"RETRIES": "TASK_RETRIES", "RETRY_DELAY": "TASK_RETRY_DELAY"}
    decorators = 0
    for path in modules:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "db_task"):
                continue
            decorators += 1
            given = {kw.arg: kw.value for kw in node.keywords if kw.arg}
            for kw in node.keywords:  # cms's task(): db_task(**{"retries": RETRIES, ...})
                if kw.arg is None and isinstance(kw.value, ast.Dict):
                    given.update({k.value: v for k, v in zip(kw.value.keys, kw.value.values) if isinstance(k, ast.Constant)})
            for name, (owner, setting) in wanted.items():
                value = given.get(name)
                named = isinstance(value, ast.Attribute) and (getattr(value.value, "id", None), value.attr) == (owner, setting)
                # or a module constant that is itself read from the setting (cms, notifications)
                named = named or (isinstance(value, ast.Name) and constants.get(value.id) == setting)
                assert named, f"{path.parent.name}/tasks.py line {node.lineno}: {name}= is not settings.{setting}"
    assert decorators >= 5
    assert (tasks.RETRIES, tasks.RETRY_DELAY) == (settings.TASK_RETRIES, settings.TASK_RETRY_DELAY) == (3, 30)
    assert (notification_tasks.RETRIES, notification_tasks.RETRY_DELAY) == (settings.TASK_RETRIES, settings.TASK_RETRY_DELAY)


def test_a_task_cut_off_by_a_stopping_worker_is_queued_again(caplog):
    """Huey has no acknowledgement: the task a worker was running when it
    stopped at once is gone from the queue. SIGNAL_INTERRUPTED puts it back."""
    calls.clear()
    task = echo.s(7)
    caplog.set_level(logging.ERROR, logger="cms.tasks")
    tasks.on_interrupted(S.SIGNAL_INTERRUPTED, task)
    assert calls == [7]  # immediate mode: queued again means run again at once
    assert "queued again" in caplog.records[-1].getMessage()
    calls.clear()
    tasks.on_interrupted(S.SIGNAL_INTERRUPTED, search_tasks.drain_search_outbox.s())
    assert "next period" in caplog.records[-1].getMessage()



# --- The queue: SQLite without REDIS_URL, Redis with it ---------------------------


def test_without_redis_the_queue_is_a_sqlite_file_in_the_data_folder(tmp_path):
    config = huey_config({}, tmp_path)
    assert config["huey_class"] == "huey.SqliteHuey"
    assert Path(config["filename"]) == tmp_path / "huey.sqlite3"
    assert config["immediate"] is False  # whatever DEBUG says


def test_the_default_queue_sits_beside_the_embedded_database():
    # The embedded database is DATA_DIR/db.sqlite3 (cms/settings/base.py).
    config = huey_config({}, settings.DATA_DIR)
    assert Path(config["filename"]) == Path(settings.DATA_DIR) / "huey.sqlite3"


def test_with_redis_the_queue_is_redis(tmp_path):
    config = huey_config({"REDIS_URL": "redis://cache.example:6379/2"}, tmp_path)
    assert config["huey_class"] == "huey.RedisHuey"
    assert config["url"] == "redis://cache.example:6379/2"
    assert "filename" not in config and config["immediate"] is False


def build(config, name):
    """A Huey the way huey.contrib.djhuey builds one from the setting."""
    options = {k: v for k, v in config.items() if k not in {"name", "huey_class", "consumer"}}
    return import_string(config["huey_class"])(name, **options)


def job(n):
    return n * 10


def two_consumers_share_one_queue(config):
    name = f"mc-test-{uuid.uuid4().hex[:8]}"
    producer, first, second = (build(config, name) for _ in range(3))
    try:
        enqueue = producer.task()(job)
        for huey in (first, second):
            huey.task()(job)
        for n in range(6):
            enqueue(n)
        taken = {first: [], second: []}
        while True:
            got = [(huey, huey.dequeue()) for huey in (first, second)]
            got = [(huey, task) for huey, task in got if task is not None]
            if not got:
                break
            for huey, task in got:
                taken[huey].append(huey.execute(task))
        assert sorted(taken[first] + taken[second]) == [0, 10, 20, 30, 40, 50]  # each exactly once
        assert taken[first] and taken[second]
    finally:
        producer.flush()


def test_two_consumers_of_the_sqlite_queue_take_each_task_once(tmp_path):
    two_consumers_share_one_queue(huey_config({}, tmp_path))


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_two_consumers_of_the_redis_queue_take_each_task_once(tmp_path):
    config = huey_config(os.environ, tmp_path)
    assert config["huey_class"] == "huey.RedisHuey"
    two_consumers_share_one_queue(config)


# --- The search outbox, drained every minute ------------------------------------


def doc(id, title):
    return {"kind": "idea", "id": id, "title": title, "url": f"/idea/{id}/"}


def test_the_outbox_drain_runs_every_minute():
    task = search_tasks.drain_search_outbox.task_class()
    assert isinstance(task, PeriodicTask)
    start = datetime.datetime(2025, 3, 1, 9, 0)  # noqa: DTZ001 - Huey's crontab reads naive times
    assert all(task.validate_datetime(start + datetime.timedelta(minutes=m)) for m in range(61))


@pytest.mark.django_db
def test_the_periodic_task_sends_what_elasticsearch_missed(fake_es):  # noqa: F811
    elastic.create()
    fake_es.down = True
    backend.index(doc(1, "Tidal lagoons"))
    backend.index(doc(2, "Community energy"))
    assert outbox.backlog() == 2
    fake_es.down = False

    search_tasks.drain_search_outbox()  # periodic tasks keep no result: check what it did
    assert outbox.backlog() == 0
    assert sorted(fake_es.behind("mc-ideas")) == [1, 2]


@pytest.mark.django_db
def test_the_periodic_task_leaves_the_outbox_while_elasticsearch_is_down(fake_es):  # noqa: F811
    elastic.create()
    fake_es.down = True
    backend.index(doc(1, "Tidal lagoons"))
    search_tasks.drain_search_outbox()
    assert outbox.backlog() == 1
    assert fake_es.behind("mc-ideas") == {}


@pytest.mark.django_db
def test_without_elasticsearch_the_periodic_task_only_looks_for_what_a_crash_left(settings,
                                                                                 django_assert_num_queries, caplog):
    settings.ELASTICSEARCH_URL = ""
    with django_assert_num_queries(2):  # the changes committed but not indexed (none), and the backlog
        search_tasks.drain_search_outbox()
    assert search_tasks.drain_search_outbox.call_local() == (0, 0)
    assert not failures(caplog)


@pytest.mark.django_db
def test_a_failing_drain_is_logged_and_left_to_the_next_minute(fake_es, monkeypatch, caplog):  # noqa: F811
    def database_gone(*args, **kwargs):
        raise DatabaseError("no such table: search_outbox")

    monkeypatch.setattr(outbox, "drain", database_gone)
    caplog.set_level(logging.INFO, logger="cms.tasks")
    search_tasks.drain_search_outbox()
    (record,) = failures(caplog)
    assert record.levelname == "ERROR"
    assert "search.tasks.drain_search_outbox" in record.getMessage()
    assert "next period" in record.getMessage() and "no such table" in record.getMessage()
    assert HUEY.scheduled() == []  # not retried: the next minute is the retry
