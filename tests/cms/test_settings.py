"""Production settings refuse unsafe starts, and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k8$Zq2!vW9pLm4#xR7tY1uB6nC3eD0fG5hJ8aS2dF4gH6jK9lQ"


def run_prod(args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    base.update({"DJANGO_SETTINGS_MODULE": "cms.settings.production", "ALLOWED_HOSTS": "missions.example.org"})
    base.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


def test_production_refuses_debug():
    result = run_prod(["check"], SECRET_KEY=GOOD_KEY, DEBUG="true")
    assert result.returncode != 0
    assert "refuse to start with DEBUG on" in result.stderr


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "a" * 50, "a" * 60])
def test_production_refuses_a_weak_secret_key(key):
    result = run_prod(["check"], SECRET_KEY=key)
    assert result.returncode != 0
    assert "real SECRET_KEY" in result.stderr


def test_check_deploy_prints_no_issues(tmp_path):
    result = run_prod(["check", "--deploy"], SECRET_KEY=GOOD_KEY, DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_embedded_default_runs_on_sqlite_memory_and_database_search(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATA_DIR": str(tmp_path)})
    code = "import django;django.setup();from cms.stack import describe;print(describe())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "'database': 'sqlite3'" in result.stdout or "'database': 'sqlite'" in result.stdout
    assert "'channel_layer': 'memory'" in result.stdout
    assert "'search': 'database'" in result.stdout


def test_the_environment_switches_to_the_scale_out_stack(tmp_path):
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://u:p@db.internal:5432/mc", "REDIS_URL": "redis://cache.internal:6379/0",
        "ELASTICSEARCH_URL": "http://search.internal:9200",
    })
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], s.CHANNEL_LAYERS['default']['BACKEND'],"
        " s.CACHES['default']['BACKEND'], s.ELASTICSEARCH_URL);"
        "d=s.DATABASES['default'];print('conn_max_age', d['CONN_MAX_AGE'], 'pool', d['OPTIONS']['pool'])"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql db.internal" in result.stdout
    assert "channels_redis" in result.stdout and "RedisCache" in result.stdout
    assert "http://search.internal:9200" in result.stdout
    # ASGI runs each request on its own thread: a pool, not persistent connections.
    assert "conn_max_age 0 pool {'min_size': 2, 'max_size': 20, 'timeout': 10}" in result.stdout


def test_pool_size_comes_from_the_environment(tmp_path):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cms.settings.dev", DATA_DIR=str(tmp_path),
               DATABASE_URL="postgres://u:p@db.internal:5432/mc", DATABASE_POOL_SIZE="7")
    code = "import django;django.setup();from django.conf import settings as s;print(s.DATABASES['default']['OPTIONS']['pool']['max_size'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "7"


def test_sqlite_runs_in_wal_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATA_DIR": str(tmp_path)})
    code = "import django;django.setup();from django.db import connection;c=connection.cursor();c.execute('PRAGMA journal_mode');print(c.fetchone()[0])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "wal", result.stderr
    assert (tmp_path / "db.sqlite3").exists()


def test_dev_settings_on_postgres_start_in_a_fresh_checkout(tmp_path):
    """With DATABASE_URL set nothing creates the data folder for SQLite, yet
    the development secret key is kept there: the folder must be made for it."""
    data_dir = tmp_path / "not-yet"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cms.settings.dev", DATA_DIR=str(data_dir),
               DATABASE_URL="postgres://u:p@db.internal:5432/mc")
    env.pop("SECRET_KEY", None)
    code = "import django;django.setup();from django.conf import settings;print(len(settings.SECRET_KEY))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 50
    assert (data_dir / "secret-key.txt").read_text().strip()


@pytest.mark.parametrize("redis_url, engine", [("redis://127.0.0.1:6379/0", "cached_db"), ("", "db")])
def test_sessions_are_read_from_redis_only_when_it_is_shared(tmp_path, redis_url, engine):
    """With Redis every process sees one cache, so a session can be read
    from it; the embedded default's local memory is per process."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATA_DIR": str(tmp_path), "REDIS_URL": redis_url})
    code = "import django;django.setup();from django.conf import settings;print(settings.SESSION_ENGINE)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"django.contrib.sessions.backends.{engine}"
