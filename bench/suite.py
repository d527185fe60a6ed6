"""`make bench` and `make bench-smoke`: one run, every figure beside its
same-run baseline (issue #19).

    python -m bench.suite --size full  --out docs/        # make bench
    python -m bench.suite --size smoke --out /tmp/x       # make bench-smoke
    python -m bench.suite --prepare /tmp/t                # migrate once (tests/bench) ...
    python -m bench.suite --size smoke --out /tmp/x --from /tmp/t   # ... and start runs from a copy

The database is DATABASE_URL (PostgreSQL: that database is DROPPED and made
again) or, without it, a SQLite file in a temporary folder; Redis is
REDIS_URL when set (keys under a fresh prefix per run, nothing flushed).

1. Data: migrations and collectstatic (the production storage), then one
   mission with a support call of `ideas` ideas on which `voters` people
   each support every idea (full: 10,000 ideas x 100 = 1,000,000 votes, one
   INSERT ... SELECT), an idea with `comments` comments, `search_ideas` more
   ideas in a second call with text from bench/search.py's word chain, the
   search index rebuilt, and the Pol.is conversations imported through
   `manage.py import_polis` (timed: import votes a second).
2. Search in-process: bench/search.py's query mix through the search
   backend (search_p95_ms_100k); its baseline is the plain icontains query.
3. The production ASGI server: python -m cms.serve cms.asgi:application
   --workers 2 (uvicorn's workers, a listening socket each: cms/serve.py),
   bench.settings_bench (production settings, DEBUG off, a generated
   SECRET_KEY, ALLOWED_HOSTS 127.0.0.1; behind a proxy, so requests carry
   X-Forwarded-Proto: https). bench/loadgen.py measures the home, mission,
   call (most supported), idea (the one with the comments), results and
   search pages signed out and signed in (a session made with the test
   client's force_login) at 1, 10 and 50 connections, and the bare view
   (bench/urls_bench.py) the same way; then votes through the HTTP vote
   endpoint (signed-in sessions, CSRF cookie and header) on one hot idea and
   over 100 ideas, beside the bare view POSTed the same way, and checks the
   counters against the rows; then the RSS of each worker.
4. WebSocket fan-out: bench/live_fanout.py (our hub vs the plain Channels
   consumer) in a subprocess, as that script runs it.

Writes <out>/benchmarks.json (merged: keys of other benchmarks are kept)
and the section of <out>/benchmarks.md between the `make bench` markers
(made if missing). No figure is asserted here: the targets are judged by
people, in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from bench import consultations as consultations_bench
from bench import prizes as prizes_bench

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
HOST = "127.0.0.1"
START = "<!-- make bench: start -->"
END = "<!-- make bench: end -->"
SHARED_POLIS = ROOT.parent / "shared" / "data" / "polis"
REPO_POLIS = ROOT / "data" / "polis"

SIZES = {
    "full": {
        "ideas": 10_000, "voters": 100, "comments": 500, "search_ideas": 100_000, "bench_voters": 300,
        "connections": [1, 10, 50], "requests": 1500, "seconds": 20.0, "vote_requests": 3000, "vote_seconds": 30.0,
        "vote_connections": 10, "queries": 240, "fanout_clients": 1000, "fanout_voters": 200,
        "fanout": {"rate": 20.0, "duration": 20.0, "vote_grace": 10.0, "procs": 3, "drain": 15.0,
                   "open_concurrency": 300, "open_timeout": 90.0},
        "polis": "all",
        "prize": (2000, 60),
        "prize_sheet": (2000, 40),
        "consultation": (100_000, 40, 200),   # responses, analysis page requests, drafts sent
    },
    "smoke": {
        "ideas": 30, "voters": 5, "comments": 12, "search_ideas": 200, "bench_voters": 10,
        "connections": [10], "requests": 10, "seconds": 5.0, "vote_requests": 20, "vote_seconds": 10.0,
        "vote_connections": 5, "queries": 12, "fanout_clients": 20, "fanout_voters": 5,
        "fanout": {"rate": 5.0, "duration": 1.0, "vote_grace": 5.0, "procs": 1, "drain": 5.0,
                   "open_concurrency": 20, "open_timeout": 20.0},
        "polis": "small",
        "prize": (200, 12),
        "prize_sheet": (200, 5),
        "consultation": (500, 5, 10),
    },
}
PAGES = ["home", "mission", "call", "idea", "results", "search"]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the database -------------------------------------------------------------------------


def recreate_postgres(url, drop_only=False, template=None):
    """DATABASE_URL's database dropped and made again: empty, or a copy of
    the database `template` (CREATE DATABASE ... TEMPLATE, on the same server)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres", query="").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


# A migrated start (--prepare FOLDER, then --from FOLDER): migrating from nothing is most of a smoke
# run (about 240 migrations), so the tests migrate once and both of bench/suite.py's and
# bench/servers.py's smoke runs start from a copy of the result.
TEMPLATE_INFO = "template.json"


def fresh_database(database_url, data_dir, template=None):
    """Before django.setup(): the run's database, empty (DATABASE_URL's
    PostgreSQL database dropped and made again, or no SQLite file yet in
    `data_dir`), or, with `template` (a folder `--prepare` made), a copy of
    that migrated start: the PostgreSQL template database copied by CREATE
    DATABASE ... TEMPLATE, and its data folder (the SQLite file, the
    collected static files) copied into `data_dir`. Returns whether the
    start was a template."""
    if template is None:
        if database_url:
            log(f"recreating {urlsplit(database_url).path.lstrip('/')}")
            recreate_postgres(database_url)
        return False
    template = Path(template)
    info = json.loads((template / TEMPLATE_INFO).read_text())
    if bool(info["database"]) != bool(database_url):
        raise SystemExit(f"{template} was prepared for {'PostgreSQL' if info['database'] else 'SQLite'}: "
                         "run with the same DATABASE_URL setting")
    if database_url:
        log(f"recreating {urlsplit(database_url).path.lstrip('/')} from the template {info['database']}")
        recreate_postgres(database_url, template=info["database"])
    shutil.copytree(template / "data", data_dir, dirs_exist_ok=True)
    return True


def migrate(from_template):
    """migrate and collectstatic (the production storage); from a template,
    migrate only applies what is newer than it, and its static files were
    collected by --prepare."""
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    if not from_template:
        call_command("collectstatic", "--noinput", verbosity=0)


def prepare(folder):
    """--prepare FOLDER: migrate and collect static files once into
    FOLDER/data (SQLite) or DATABASE_URL's database (dropped and made
    again), for runs started with --from FOLDER."""
    folder = Path(folder).resolve()
    (folder / "data").mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url and not database_url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must be PostgreSQL (or unset for SQLite)")
    os.environ.update(server_env(folder))
    fresh_database(database_url, folder / "data")
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connections

    log("migrate, collectstatic (the template)")
    migrate(from_template=False)
    connections.close_all()
    (folder / TEMPLATE_INFO).write_text(json.dumps(
        {"database": urlsplit(database_url).path.lstrip("/") if database_url else None}) + "\n")
    log(f"prepared {folder}")
    return 0


def server_env(workdir):
    """The environment of every Django process of the run (this one too)."""
    env = {k: v for k, v in os.environ.items() if k not in {"ELASTICSEARCH_URL", "DEBUG", "SECURE_SSL_REDIRECT"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings_bench",
        DATA_DIR=str(workdir / "data"),
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        BENCH_KEY_PREFIX=f"mc-bench-{secrets.token_hex(4)}",
        PYTHONUNBUFFERED="1",
    )
    return env


# --- the data set ---------------------------------------------------------------------------


def bulk_users(prefix, n):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.invalid", password="!") for i in range(n)],
        batch_size=2000,
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("pk").values_list("pk", flat=True))


def seed(size, rng):
    """The data set; returns what the measurements need (ids and addresses)."""
    from django.db import connection, transaction
    from django.utils import timezone as djtz

    from bench import search as search_bench
    from cms.site_setup import ensure_site
    from consult.models import ChallengeCallPage
    from ideas.models import Comment, Idea, IdeaStatus, Visibility
    from tests.factories import CallFactory, MissionFactory

    ensure_site()
    mission = MissionFactory(slug="bench-mission", title="Bench mission")
    call = CallFactory(parent=mission, slug="bench-call", title="Bench call", support_limit=None)
    search_call = CallFactory(parent=mission, slug="bench-search", title="Bench search call", support_limit=None)
    voters = bulk_users("benchseed", size["voters"])
    now = djtz.now()
    created = Idea._meta.get_field("created_at")
    created.auto_now_add = False  # spread over twelve weeks, as a long call's ideas would be
    chain = search_bench.Chain(search_bench.source_texts(SHARED_POLIS if SHARED_POLIS.is_dir() else REPO_POLIS), rng)
    texts = []
    try:
        with transaction.atomic():
            Idea.objects.bulk_create(
                [Idea(call_id=call.pk, author_id=voters[n % len(voters)], title=f"Idea {n}", summary="Summary",
                      body="Body", body_html="<p>Body</p>", status=IdeaStatus.SUBMITTED,
                      visibility=Visibility.PUBLISHED, support_count=len(voters),
                      created_at=now - timedelta(minutes=n % (84 * 24 * 60)))
                 for n in range(size["ideas"])],
                batch_size=2000,
            )
        log(f"  {size['ideas']:,} ideas in the call")
        with transaction.atomic(), connection.cursor() as cur:
            # Every seed voter supports every idea of the call: one set-based insert.
            placeholders = ",".join(["%s"] * len(voters))
            insert_started = time.perf_counter()
            cur.execute(
                f"""INSERT INTO ideas_vote (idea_id, user_id, call_id, value, created_at)
                    SELECT i.id, u.id, %s, 'support', i.created_at FROM ideas_idea i CROSS JOIN auth_user u
                    WHERE i.call_id = %s AND u.id IN ({placeholders})""",
                [call.pk, call.pk, *voters],
            )
            votes = cur.rowcount
        insert_s = time.perf_counter() - insert_started
        log(f"  {votes:,} votes in {insert_s:.1f} s")
        ids = list(Idea.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
        hot, discussed, spread = ids[0], ids[1], ids[2:102]
        with transaction.atomic():
            Comment.objects.bulk_create(
                [Comment(idea_id=discussed, author_id=voters[k % len(voters)], body=chain.sentence(),
                         body_html=f"<p>Comment {k}</p>", created_at=now - timedelta(minutes=k))
                 for k in range(size["comments"])],
                batch_size=2000,
            )
            Idea.objects.filter(pk=discussed).update(comment_count=size["comments"])
        done = 0
        while done < size["search_ideas"]:
            n = min(2000, size["search_ideas"] - done)
            batch = []
            for _ in range(n):
                body = chain.body()
                batch.append(Idea(call_id=search_call.pk, author_id=rng.choice(voters), title=chain.title(),
                                  summary=chain.summary(), body=body, body_html=f"<p>{body[:200]}</p>",
                                  status=IdeaStatus.SUBMITTED, visibility=Visibility.PUBLISHED,
                                  support_count=0, created_at=now - timedelta(minutes=rng.randint(0, 525_600))))
            with transaction.atomic():
                Idea.objects.bulk_create(batch)
            texts += [(i.call_id, i.title, i.summary, "") for i in batch[:: max(1, size["search_ideas"] // 20000)]]
            done += n
        log(f"  {size['search_ideas']:,} ideas for search")
    finally:
        created.auto_now_add = True
    for c in (call, search_call):
        ChallengeCallPage.objects.filter(pk=c.pk).update(idea_count=Idea.objects.filter(call=c).count())
    return {"mission": mission, "call": call, "search_call": search_call, "hot": hot, "discussed": discussed,
            "spread": spread, "texts": texts, "votes": votes, "chain": chain,
            "votes_sql_per_s": votes / insert_s if insert_s else float("nan")}


def rebuild_search():
    from django.db import connection

    from search import backend

    started = time.perf_counter()
    report = backend.rebuild("idea")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return report["database"][1], time.perf_counter() - started


def import_polis(mission, which):
    from django.core.management import call_command

    from ideas.models import Vote
    from ideas.polis import PolisImport

    base = SHARED_POLIS if SHARED_POLIS.is_dir() and which == "all" else REPO_POLIS
    folders = sorted(str(p) for p in base.iterdir() if (p / "votes.csv").is_file())
    if which != "all":
        folders = folders[:1]
    before = Vote.objects.count()
    started = time.perf_counter()
    call_command("import_polis", *folders, mission=mission.slug, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    votes = Vote.objects.count() - before
    return {"folders": [Path(f).name for f in folders], "votes": votes, "seconds": seconds,
            "votes_per_s": votes / seconds, "calls": PolisImport.objects.count()}


def search_in_process(data, queries, rng):
    from bench import search as search_bench
    from ideas.search_documents import visible
    from search import backend

    mix = search_bench.query_mix(data["texts"], ["", "Northgate Community Trust"], rng, queries)
    mix = [(c, t) for c, t in mix if c != "organisation"] or mix
    for _c, text in mix[: min(30, len(mix))]:
        backend.search(text, per_page=20, visible=visible)
        search_bench.icontains(text)
    ours, plain = [], []
    for _c, text in mix:
        ours.append(search_bench.timed(backend.search, text, per_page=20, visible=visible)[0])
        plain.append(search_bench.timed(search_bench.icontains, text)[0])
    common = next((t for c, t in mix if c == "common word"), mix[0][1])
    return {"search": search_bench.summary_of(ours), "icontains": search_bench.summary_of(plain),
            "queries": len(mix), "page_query": common}


def sessions(n_voters):
    """Session cookies made with the test client's force_login against the
    bench database: one reader, n voters."""
    from django.conf import settings
    from django.test import Client

    reader_pk = bulk_users("benchreader", 1)[0]
    voter_pks = bulk_users("benchvoter", n_voters)
    from django.contrib.auth import get_user_model

    User = get_user_model()

    def cookie(pk):
        client = Client()
        client.force_login(User.objects.get(pk=pk))
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    return cookie(reader_pk), [cookie(pk) for pk in voter_pks], voter_pks


def check_counters(idea_ids):
    """Each idea's counters against its vote rows (ideas/counters.py's rule),
    and `repair_counters --check` over everything at smoke size."""
    from ideas import counters
    from ideas.models import Idea

    expected = counters.expected_idea_counters()
    wrong = []
    for idea in Idea.objects.filter(pk__in=idea_ids).annotate(**expected):
        for name in expected:
            if getattr(idea, name[2:]) != getattr(idea, name):
                wrong.append((idea.pk, name[2:], getattr(idea, name[2:]), getattr(idea, name)))
    return wrong


# --- the server ------------------------------------------------------------------------------


def forget_redis_keys(prefix):
    """This run's keys (cache, queue): under its own prefix, so nothing else is touched."""
    url = os.environ.get("REDIS_URL", "")
    if not url or not prefix:
        return
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"*{prefix}*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start:start + 1000])


def free_port():
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """python -m cms.serve cms.asgi:application --workers 2, as the Dockerfile
    runs it (uvicorn's workers, each with its own SO_REUSEPORT socket);
    `launcher="uvicorn"` runs plain `uvicorn --workers 2` instead."""

    def __init__(self, env, log_path, workers=2, launcher="cms.serve"):
        self.port = free_port()
        self.env = env
        self.log_path = log_path
        self.workers = workers
        self.argv = [PY, "-m", launcher, "cms.asgi:application", "--host", HOST, "--port", str(self.port),
                     "--workers", str(workers), "--no-access-log", "--ws-per-message-deflate", "false",
                     "--ws-max-size", "65536"]

    def start(self, timeout=90):
        self.logf = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=self.logf, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        healthy = 0
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/health", timeout=5) as r:
                    healthy += r.status == 200
            except OSError:
                time.sleep(0.3)
                continue
            if healthy >= 2 * self.workers and len(self.worker_pids()) >= self.workers:
                return
        raise RuntimeError(f"the server did not become healthy: {self.log_path.read_text()[-3000:]}")

    def worker_pids(self):
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                children = [int(p) for p in f.read().split()]
        except OSError:
            return []
        # Workers are multiprocessing spawn children; the supervisor may also run a resource tracker.
        return [p for p in children if "spawn_main" in _cmdline(p)]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.logf.close()


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# --- measuring over HTTP ------------------------------------------------------------------------


def measure_pages(port, paths, reader_cookie, size):
    """Every page and the bare view, signed out and signed in, at each
    number of connections: {(page, signed_in, connections): loadgen result}."""
    from django.conf import settings

    from bench import loadgen

    proxy = {"X-Forwarded-Proto": "https"}
    signed_in = {**proxy, "Cookie": f"{settings.SESSION_COOKIE_NAME}={reader_cookie}"}
    out = {}
    for page, path in [("bare", "/bench/bare"), *paths.items()]:
        for who, headers in (("out", proxy), ("in", signed_in)):
            loadgen.run(port, loadgen.get(path, headers), connections=2, max_requests=4, max_seconds=30)  # warm-up
            for conns in size["connections"]:
                result = loadgen.run(port, loadgen.get(path, headers), connections=conns,
                                     max_requests=max(size["requests"], conns * 2), max_seconds=size["seconds"])
                out[(page, who, conns)] = result
                log(f"  {page:8} signed {who:3} x{conns:<3} p50 {result['p50_ms']:7.1f}  p95 {result['p95_ms']:7.1f}  "
                    f"p99 {result['p99_ms']:7.1f} ms  {result['rps']:7.1f}/s  {result['status']}")
                bad = {s: v for s, v in result["status"].items() if s != "200"}
                if bad:  # recorded with the figures (meta.pages); the smoke test requires none
                    log(f"  WARNING {page} ({path}) signed {who}: answers {bad}")
    return out


def measure_votes(port, idea_ids, voter_cookies, size, bare=False):
    """Votes through POST /ideas/<id>/vote/ (JSON), each connection its own
    voters in turn; a voter who supports the idea withdraws the next time,
    so every request is a valid vote. `bare`: the bare view POSTed the same
    way (session, CSRF cookie and header) instead."""
    from django.conf import settings

    from bench import loadgen

    csrf = secrets.token_hex(16)
    cookie_names = settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME
    conns = size["vote_connections"]
    per = [voter_cookies[c::conns] for c in range(conns)]
    supporting = set()

    def make(conn, k):
        cookies = per[conn]
        voter = cookies[(k // len(idea_ids)) % len(cookies)]
        idea = idea_ids[(k * conns + conn) % len(idea_ids)] if len(idea_ids) > 1 else idea_ids[0]
        key = (voter, idea)
        remove = key in supporting
        path = "/bench/bare" if bare else f"/ideas/{idea}/vote/"
        body = b"value=support" + (b"&action=remove" if remove else b"")
        make.pending[conn] = key, remove
        return ("POST", path, {
            "X-Forwarded-Proto": "https", "Origin": f"https://{HOST}:{port}", "Accept": "application/json",
            "Cookie": f"{cookie_names[0]}={voter}; {cookie_names[1]}={csrf}", "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded"}, body)

    make.pending = {}

    def on_response(conn, k, status, payload):
        key, remove = make.pending[conn]
        if status == 200 and not bare:
            (supporting.discard if remove else supporting.add)(key)

    # Each connection must not reuse a voter on the same idea before the previous answer: requests on a
    # connection are sequential, and voters are split between connections.
    result = loadgen.run(port, make, connections=conns, max_requests=size["vote_requests"],
                         max_seconds=size["vote_seconds"], on_response=on_response)
    return result


# --- fan-out ---------------------------------------------------------------------------------------


def fanout(size, workdir, call, idea_ids):
    """bench/live_fanout.py's scenarios, our hub then the plain Channels
    consumer, on a copy of this run's data folder (and this run's database
    when it is PostgreSQL), each with voters of its own; the servers run as
    live_fanout runs them (one worker, bench.settings_fanout, in-memory layer)."""
    from django.db import connections

    from bench import live_fanout
    from ideas.services.tokens import create_api_token

    live_fanout.raise_fd_limit()
    voters = bulk_users("benchfanout", 2 * size["fanout_voters"])
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(pk__in=voters).order_by("pk"))
    tokens = [create_api_token(u, "make bench fan-out")[1] for u in users]
    connections.close_all()
    args = argparse.Namespace(server_args=live_fanout.SHIPPED_SERVER_ARGS, ideas=0, ws_compression="none",
                              **size["fanout"])
    saved = {k: os.environ.pop(k) for k in ("REDIS_URL", "SECRET_KEY", "BENCH_KEY_PREFIX", "DEBUG")
             if k in os.environ}
    out = {}
    try:
        for n, name in enumerate(("ours", "baseline")):
            info = {"call": call.pk, "call_title": call.title, "ideas": idea_ids,
                    "tokens": tokens[n * size["fanout_voters"]:(n + 1) * size["fanout_voters"]]}
            out[name] = live_fanout.run_scenario(name, size["fanout_clients"], args, workdir / "data", info,
                                                 workdir)
    finally:
        os.environ.update(saved)
    return out


# --- the record --------------------------------------------------------------------------------------


def versions():
    out = {"python": platform.python_version()}
    for pkg in ("django", "wagtail", "channels", "uvicorn", "psycopg", "redis", "channels_redis"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "-"
    return out


def machine():
    info = {"cores": os.cpu_count(), "platform": platform.platform()}
    try:
        with open("/proc/meminfo") as f:
            info["ram_gib"] = round(int(f.readline().split()[1]) / 2**20, 1)
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return info


def database_versions():
    from django.conf import settings
    from django.db import connection

    out = {}
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            out["postgresql"] = cur.fetchone()[0]
        else:
            cur.execute("SELECT sqlite_version()")
            out["sqlite"] = cur.fetchone()[0]
    if getattr(settings, "REDIS_URL", ""):
        import redis

        out["redis"] = redis.Redis.from_url(settings.REDIS_URL).info("server")["redis_version"]
    return out


def commit():
    def run(*a):
        return subprocess.run(["git", *a], check=False, cwd=ROOT, capture_output=True, text=True).stdout.strip()

    sha = run("rev-parse", "--short", "HEAD") or "unknown"
    return sha + (" (with uncommitted changes)" if run("status", "--porcelain", "--untracked-files=no") else "")


def figure(key, value, unit, conditions, baseline_key=None, baseline_value=None):
    item = {"key": key, "value": round(value, 2) if isinstance(value, float) else value, "unit": unit,
            "conditions": conditions}
    item["baseline"] = {"key": baseline_key,
                        "value": round(baseline_value, 2) if isinstance(baseline_value, float) else baseline_value}
    return item


def write_outputs(out_dir, figures, meta, table_rows):
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "benchmarks.json"
    try:
        existing = json.loads(json_path.read_text())
    except (OSError, ValueError):
        existing = {}
    if not isinstance(existing, dict):
        existing = {}
    for item in figures:
        existing[item["key"]] = item
    existing["make_bench"] = meta
    json_path.write_text(json.dumps(existing, indent=2) + "\n")

    lines = [START, "", "## `make bench`", "",
             (f"Generated by `{meta['command']}` on {meta['finished']} (do not edit by hand; the figures are "
              "also in `docs/benchmarks.json`)."), "",
             f"- Commit: {meta['commit']}",
             (f"- Machine: {meta['machine'].get('cores')} cores, {meta['machine'].get('ram_gib', '?')} GiB RAM, "
              f"{meta['machine'].get('cpu', meta['machine']['platform'])}; load average before / after "
              f"{meta['loadavg_before']} / {meta['loadavg_after']}"),
             "- Versions: " + ", ".join(f"{k} {v}" for k, v in {**meta["versions"], **meta["database"]}.items()),
             f"- Sizes ({meta['size']}): " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}"
                                                       for k, v in meta["sizes"].items()),
             f"- Server: {meta['server']}; the load generator (bench/loadgen.py) on the same cores",
             "", "| Figure | Value | Baseline (same run) | Ratio | Conditions |", "|---|---:|---:|---:|---|"]
    for item in figures:
        b = item["baseline"]
        ratio = (f"{item['value'] / b['value']:.2f}x" if isinstance(b.get("value"), (int, float)) and b["value"]
                 and isinstance(item["value"], (int, float)) else "")
        lines.append(f"| `{item['key']}` | {_fmt(item['value'])} {item['unit']} | {_fmt(b.get('value'))} "
                     f"(`{b.get('key')}`) | {ratio} | {item['conditions']} |")
    lines += ["", "### Every page, connection count and session", "",
              "| Page | Signed | Connections | p50 ms | p95 ms | p99 ms | Requests/s | Bare p95 ms | Bare requests/s |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|", *table_rows, "", END]
    section = "\n".join(lines)
    md_path = out_dir / "benchmarks.md"
    text = md_path.read_text() if md_path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    md_path.write_text(text)
    return json_path, md_path


def _fmt(v):
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 10 or v == 0 else f"{v:,.2f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


# --- the run ---------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="smoke")
    parser.add_argument("--out", help="folder of benchmarks.json and benchmarks.md (required unless --prepare)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs)")
    parser.add_argument("--prepare", metavar="FOLDER",
                        help="only migrate and collect static files into FOLDER (and DATABASE_URL's database), "
                             "for later runs with --from FOLDER")
    parser.add_argument("--from", dest="template", metavar="FOLDER",
                        help="start from a copy of what --prepare FOLDER made, instead of migrating from nothing")
    args = parser.parse_args(argv)
    if args.prepare:
        return prepare(args.prepare)
    if not args.out:
        parser.error("give --out (or --prepare)")
    size = SIZES[args.size]
    out_dir = Path(args.out).resolve()
    if args.size == "smoke" and out_dir == (ROOT / "docs").resolve():
        parser.error("the smoke run never writes docs/: give it a temporary folder")
    rng = random.Random(19)
    wall = time.monotonic()
    loadavg_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    workdir = Path(tempfile.mkdtemp(prefix=f"mc-bench-{args.size}-"))
    (workdir / "data").mkdir()
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url and not database_url.startswith("postgres"):
        parser.error("DATABASE_URL must be PostgreSQL (or unset for SQLite)")
    env = server_env(workdir)
    os.environ.update(env)
    server = None
    try:
        from_template = fresh_database(database_url, workdir / "data", args.template)
        import django

        sys.path.insert(0, str(ROOT))
        django.setup()
        from django.core.management import call_command
        from django.db import connections

        log("migrate" + ("" if from_template else ", collectstatic"))
        migrate(from_template)
        log("seeding")
        started = time.monotonic()
        data = seed(size, rng)
        seed_s = time.monotonic() - started
        indexed, rebuild_s = rebuild_search()
        log(f"  search index: {indexed:,} ideas in {rebuild_s:.1f} s")
        polis = import_polis(data["mission"], size["polis"])
        log(f"  Pol.is: {polis['votes']:,} votes in {polis['seconds']:.2f} s ({polis['votes_per_s']:,.0f}/s)")
        search = search_in_process(data, size["queries"], rng)
        log(f"  search p95 {search['search']['p95_ms']:.1f} ms (icontains {search['icontains']['p95_ms']:.1f} ms)")
        reader, voter_cookies, _voter_pks = sessions(size["bench_voters"])
        db_versions = database_versions()
        call, mission = data["call"], data["mission"]
        paths = {"home": "/", "mission": mission.get_url(), "call": call.get_url() + "?sort=supported",
                 "idea": f"/ideas/{data['discussed']}/", "results": call.get_url() + "results/",
                 "search": "/search/?q=" + urllib.request.quote(search["page_query"])}
        connections.close_all()

        server = Server(env, workdir / "server.log")
        log(f"starting {' '.join(server.argv[1:])}")
        server.start()
        rss_idle = [rss_mb(p) for p in server.worker_pids()]
        pages = measure_pages(server.port, paths, reader, size)
        log("votes")
        bare_votes = measure_votes(server.port, [data["hot"]], voter_cookies, size, bare=True)
        hot = measure_votes(server.port, [data["hot"]], voter_cookies, size)
        spread = measure_votes(server.port, data["spread"], voter_cookies, size)
        for name, r in (("bare POST", bare_votes), ("hot idea", hot), ("100 ideas", spread)):
            log(f"  {name:9} {r['rps']:7.1f}/s  p95 {r['p95_ms']:.1f} ms  {r['status']}")
            if set(r["status"]) != {"200"}:
                if args.size == "smoke":
                    raise RuntimeError(f"votes ({name}) answered {r['status']}")
                log(f"  WARNING votes ({name}) answered {r['status']}")
        time.sleep(0.5)
        workers = server.worker_pids()
        rss = [rss_mb(p) for p in workers]
        log(f"  worker RSS {', '.join(f'{r:.0f}' for r in rss)} MB")
        server.stop()
        server = None
        wrong = check_counters([data["hot"], *data["spread"]])
        if args.size == "smoke":
            call_command("repair_counters", "--check", stdout=io.StringIO())
        if wrong:
            raise RuntimeError(f"counters differ from the rows: {wrong[:10]}")
        log("counters equal the rows")
        connections.close_all()

        prize = prizes_bench.measure(*size["prize"], rng=random.Random(28))
        log(f"  prizes: {prize['applications']:,} applications to {prize['assessors']} assessors in "
            f"{prize['assign_s']:.3f} s (round-robin {prize['round_robin_s']:.4f} s); sheet {prize['sheet_ms']:.1f} ms")
        if not prize["complete"]:
            raise RuntimeError("the prize panel could not be assigned in full")
        sheet = prizes_bench.measure_sheet(mission, *size["prize_sheet"], rng=random.Random(28))
        log(f"  panel sheet page p95 {sheet['sheet_p95_ms']:.1f} ms ({sheet['applications']:,} applications; "
            f"computed live from the scores p95 {sheet['live_p95_ms']:.1f} ms)")
        connections.close_all()

        consult = consultations_bench.measure(mission, *size["consultation"], rng=random.Random(29))
        log(f"  consultation of {consult['responses']:,} responses (seeded in {consult['seed_s']:.1f} s): analysis "
            f"page p95 {consult['analysis_p95_ms']:.1f} ms (live GROUP BY p95 {consult['live_p95_ms']:.1f} ms); "
            f"submit p95 {consult['submit_p95_ms']:.1f} ms (one-row insert p95 {consult['insert_p95_ms']:.2f} ms)")
        connections.close_all()

        log(f"fan-out: {size['fanout_clients']} sockets, ours vs the plain Channels consumer")
        fan = fanout(size, workdir, call, data["spread"][:6])
        log(f"  ours p95 {fan['ours']['p95_ms']:.0f} ms, baseline p95 {fan['baseline']['p95_ms']:.0f} ms")
    finally:
        if server is not None:
            server.stop()
        try:
            forget_redis_keys(env["BENCH_KEY_PREFIX"])
        except Exception as exc:  # noqa: BLE001 (the keys expire anyway)
            log(f"could not remove this run's Redis keys: {exc!r}")
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # noqa: BLE001 (Django may not be set up yet)
            log(f"closing connections: {exc!r}")

    # --- figures ---
    c10 = 10 if 10 in size["connections"] else size["connections"][-1]
    db_name = "PostgreSQL" if database_url else "SQLite"
    redis = "Redis" if os.environ.get("REDIS_URL") else "no Redis"
    where = f"cms.serve (uvicorn) --workers 2, production settings, {db_name}, {redis}"
    bare_out, bare_in = pages[("bare", "out", c10)], pages[("bare", "in", c10)]
    n_ideas, n_votes = size["ideas"], data["votes"]
    def cond(extra):
        return f"{extra}; {c10} connections; {where}; call of {n_ideas:,} ideas, {n_votes:,} votes"

    figures = [
        figure("call_page_p95_ms", pages[("call", "out", c10)]["p95_ms"], "ms", cond("call page, most supported, signed out"),
               "bare_view_p95_ms", bare_out["p95_ms"]),
        figure("call_page_signed_in_p95_ms", pages[("call", "in", c10)]["p95_ms"], "ms",
               cond("call page, most supported, signed in"), "bare_view_signed_in_p95_ms", bare_in["p95_ms"]),
        figure("call_page_rps", pages[("call", "out", c10)]["rps"], "requests/s", cond("call page, signed out"),
               "bare_view_rps", bare_out["rps"]),
        figure("bare_view_p95_ms", bare_out["p95_ms"], "ms", cond("bare Django view (no template, no query), signed out"),
               "bare_view_p95_ms", bare_out["p95_ms"]),
        figure("bare_view_rps", bare_out["rps"], "requests/s", cond("bare Django view, signed out"),
               "bare_view_rps", bare_out["rps"]),
        figure("bare_view_signed_in_p95_ms", bare_in["p95_ms"], "ms", cond("bare Django view, signed in"),
               "bare_view_p95_ms", bare_out["p95_ms"]),
    ]
    for page in PAGES:
        for who in ("out", "in"):
            suffix = "" if who == "out" else "_signed_in"
            bare = pages[("bare", who, c10)]
            r = pages[(page, who, c10)]
            if page != "call":
                figures.append(figure(f"{page}_page{suffix}_p95_ms", r["p95_ms"], "ms", cond(f"{page} page, signed {who}"),
                                      f"bare_view{suffix}_p95_ms", bare["p95_ms"]))
                figures.append(figure(f"{page}_page{suffix}_rps", r["rps"], "requests/s",
                                      cond(f"{page} page, signed {who}"), f"bare_view{suffix}_rps", bare["rps"]))
    if ("call", "in", c10) in pages:
        figures.append(figure("call_page_signed_in_rps", pages[("call", "in", c10)]["rps"], "requests/s",
                              cond("call page, signed in"), "bare_view_signed_in_rps", bare_in["rps"]))
    vc = size["vote_connections"]
    figures += [
        figure("votes_per_s_hot_idea", hot["ok_rps"], "votes/s",
               f"POST /ideas/<id>/vote/ (JSON), one idea, {len(voter_cookies)} signed-in voters, {vc} connections, "
               f"support then withdraw; counters equal the rows after; {where}",
               "bare_view_post_rps", bare_votes["rps"]),
        figure("votes_per_s_100_ideas", spread["ok_rps"], "votes/s",
               f"as votes_per_s_hot_idea, over 100 ideas of the call; {where}", "bare_view_post_rps", bare_votes["rps"]),
        figure("bare_view_post_rps", bare_votes["rps"], "requests/s",
               f"bare view POSTed like a vote (session, CSRF cookie and header), {vc} connections; {where}",
               "bare_view_post_rps", bare_votes["rps"]),
        figure("import_votes_per_s", polis["votes_per_s"], "votes/s",
               f"manage.py import_polis {' '.join(polis['folders'])}: {polis['votes']:,} votes in "
               f"{polis['seconds']:.2f} s, {db_name}; baseline: the seed's one set-based INSERT ... SELECT of "
               f"{n_votes:,} votes on the same database", "votes_insert_sql_per_s", data["votes_sql_per_s"]),
        figure("search_p95_ms_100k", search["search"]["p95_ms"], "ms", f"search backend in-process, {search['queries']} queries (bench/search.py mix) over "
               f"{indexed:,} indexed ideas, {db_name}", "search_icontains_p95_ms", search["icontains"]["p95_ms"]),
        figure("search_p50_ms_100k", search["search"]["p50_ms"], "ms", "as search_p95_ms_100k",
               "search_icontains_p50_ms", search["icontains"]["p50_ms"]),
    ]
    p_cond = (f"{prize['applications']:,} applications, {prize['assessors']} assessors each with their own "
              f"organisation and 5 declared conflicts, 3 per application, in-process (bench/prizes.py), best of 3")
    figures += [
        figure("prize_assignment_s", prize["assign_s"], "s",
               f"{p_cond}; loads {prize['min_load']}–{prize['max_load']}; baseline: a round-robin deal ignoring conflicts",
               "prize_round_robin_s", prize["round_robin_s"]),
        figure("panel_sheet_scoring_ms", prize["sheet_ms"], "ms",
               f"{p_cond}; 6 weighted criteria: totals, mean, spread, outliers, ranking (prizes/scoring.py); "
               "baseline: the plain mean of the same scores", "panel_sheet_plain_mean_ms", prize["plain_mean_ms"]),
        figure("panel_sheet_page_p95_ms", sheet["sheet_p95_ms"], "ms",
               f"the panel sheet page (sheet/, first 50 rows ranked by the database from stored rows) for the mission "
               f"team, {sheet['applications']:,} applications x 3 assessors x 6 criteria, {sheet['requests']} requests "
               f"in-process through Django's test client, {db_name}; baseline: ranking the same stage live from its "
               f"score rows (read and summarise every score)", "panel_sheet_live_p95_ms", sheet["live_p95_ms"]),
    ]
    c_cond = (f"a consultation of {consult['questions']} questions (bench/consultations.py), {consult['responses']:,} "
              f"sent responses of {consult['answers_per_response']} answers each, stored tallies; in-process, {db_name}")
    figures += [
        figure("consultation_analysis_p95_ms", consult["analysis_p95_ms"], "ms",
               f"{c_cond}; the team's analysis page (analysis/, every question's table from the stored tallies), "
               f"{consult['requests']} requests through Django's test client as the mission team; baseline: the "
               f"counts computed live from the answers, one GROUP BY on the answer value per question (no cross-tab, "
               f"no template), {consult['live_runs']} runs", "consultation_live_group_by_p95_ms",
               consult["live_p95_ms"]),
        figure("consultation_submit_p95_ms", consult["submit_p95_ms"], "ms",
               f"{c_cond}; responses.submit on {consult['submits']} prepared drafts (checks, tallies' increments, "
               f"the receipt rendered to the in-memory outbox on commit); baseline: a one-row INSERT of a draft "
               f"response in its own transaction", "consultation_insert_p95_ms", consult["insert_p95_ms"]),
    ]
    n_ws = size["fanout_clients"]
    ws_cond = (f"bench/live_fanout.py's scenario: {fan['ours']['subscribed']} sockets on the bench call's topic, "
               f"{fan['ours']['votes']['ok']} votes over {fan['ours']['ideas']} ideas at {size['fanout']['rate']:g}/s, "
               f"one uvicorn worker, bench.settings_fanout (dev settings), {db_name}, in-memory channel layer")
    figures += [
        figure("ws_fanout_1000_p95_ms", fan["ours"]["p95_ms"], "ms", f"{ws_cond}; our hub (/ws/live/)",
               "ws_baseline_1000_p95_ms", fan["baseline"]["p95_ms"]),
        figure("ws_baseline_1000_p95_ms", fan["baseline"]["p95_ms"], "ms",
               f"{ws_cond}; plain Channels consumer (bench/baseline_asgi.py)", "ws_baseline_1000_p95_ms",
               fan["baseline"]["p95_ms"]),
        figure("worker_rss_mb", max(rss) if rss else float("nan"), "MB",
               f"VmRSS of the larger of {len(rss)} uvicorn workers after the HTTP run ({', '.join(f'{r:.0f}' for r in rss)}); "
               "baseline: the larger just after start-up (only /health answered)",
               "worker_rss_mb_idle", max(rss_idle) if rss_idle else float("nan")),
    ]
    if n_ws != 1000:
        for item in figures[-3:-1]:
            item["conditions"] += f" (smoke size: {n_ws} sockets, not 1000)"
    table_rows = []
    for page in ["bare", *PAGES]:
        for who in ("out", "in"):
            for conns in size["connections"]:
                r, b = pages[(page, who, conns)], pages[("bare", who, conns)]
                table_rows.append(f"| {page} | {who} | {conns} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
                                  f"{r['p99_ms']:.1f} | {r['rps']:.1f} | {b['p95_ms']:.1f} | {b['rps']:.1f} |")
    sizes = {"ideas in the call": n_ideas, "votes": n_votes, "comments on one idea": size["comments"],
             "ideas for search": size["search_ideas"], "search index": indexed, "Pol.is votes imported": polis["votes"],
             "voters": len(voter_cookies), "sockets": n_ws, "consultation responses": consult["responses"]}
    meta = {"command": "make bench" if args.size == "full" else "make bench-smoke", "size": args.size,
            "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit(),
            "machine": machine(), "versions": versions(), "database": db_versions, "sizes": sizes,
            "server": f"python -m cms.serve cms.asgi:application --workers 2 (uvicorn's workers, a SO_REUSEPORT "
                      f"socket each; bench.settings_bench: production settings), {db_name}, "
                      f"{redis}", "loadavg_before": loadavg_before,
            "loadavg_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "seed_s": round(seed_s, 1), "rebuild_s": round(rebuild_s, 1), "wall_s": round(time.monotonic() - wall, 1),
            "pages": {f"{p}|{w}|{c}": r for (p, w, c), r in pages.items()}, "paths": paths,
            "votes": {"bare_post": bare_votes, "hot_idea": hot, "100_ideas": spread}, "polis": polis,
            "search": {k: search[k] for k in ("search", "icontains", "queries", "page_query")}}
    json_path, md_path = write_outputs(out_dir, figures, meta, table_rows)
    log(f"wrote {json_path} and {md_path} in {meta['wall_s']:.0f} s; load average {meta['loadavg_after']}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        log(f"kept {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
