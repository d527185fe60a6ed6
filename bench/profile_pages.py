"""Where a page's time goes at bench size: queries (count, time, the slowest)
and Python (cProfile's top functions), signed in and signed out, rendered
in-process through the whole middleware stack with the test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mc_profile \\
        .venv/bin/python -m bench.profile_pages [--seed] [--pages call,idea] [--repeat 5]

--seed drops and makes that database again and seeds it as `make bench`
does (bench/suite.py's seed: a call of 10,000 ideas with 1,000,000 votes,
an idea with 500 comments), with fewer search ideas (they are not what
these pages show). Without --seed it reuses the database. The page cache is
off here unless --cache: every render is measured. Nothing is asserted; this is a tool for
finding the next thing to remove (issue #19, docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE_SIZE = {"ideas": 10_000, "voters": 100, "comments": 500, "search_ideas": 2_000}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", action="store_true", help="drop, make and seed the database first")
    parser.add_argument("--pages", default="home,mission,call,idea,results", help="comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="timed renders per page (after one warm-up)")
    parser.add_argument("--top", type=int, default=25, help="functions listed from the profile")
    parser.add_argument("--queries", type=int, default=6, help="slowest queries listed")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)")
    parser.add_argument("--cache", action="store_true",
                        help="keep the page cache and shared fragments on (as shipped): what is left on a hit")
    parser.add_argument("--load", type=int, default=0, metavar="CONNECTIONS",
                        help="instead of profiling, serve with uvicorn --workers 2 (bench settings, page cache "
                             "as shipped) and load each page and the bare view at this many connections")
    parser.add_argument("--launcher", default="cms.serve", choices=["cms.serve", "uvicorn"],
                        help="with --load: the server's launcher (uvicorn: its own --workers 2)")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        parser.error("set DATABASE_URL to a PostgreSQL database this tool may drop")

    from bench import suite

    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / "mc-profile"
    (workdir / "data").mkdir(parents=True, exist_ok=True)
    os.environ.update(suite.server_env(workdir))
    os.environ["PAGE_CACHE_ENABLED"] = "1" if args.cache else "0"
    if args.seed:
        suite.recreate_postgres(url)
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = args.cache
    settings.ALLOWED_HOSTS = ["*"]
    if args.seed:
        call_command("migrate", "--noinput", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        suite.seed(PROFILE_SIZE, random.Random(19))
        suite.rebuild_search()
    from consult.models import ChallengeCallPage, MissionPage
    from ideas.models import Idea

    call = ChallengeCallPage.objects.get(slug="bench-call")
    mission = MissionPage.objects.get(slug="bench-mission")
    discussed = Idea.objects.filter(call=call).order_by("pk").values_list("pk", flat=True)[1]
    paths = {"home": "/", "mission": mission.get_url(), "call": call.get_url() + "?sort=supported",
             "idea": f"/ideas/{discussed}/", "results": call.get_url() + "results/"}
    reader = suite.bulk_users(f"profreader{int(time.time())}", 1)[0]
    from django.contrib.auth import get_user_model

    signed_in = Client(HTTP_X_FORWARDED_PROTO="https")
    signed_in.force_login(get_user_model().objects.get(pk=reader))
    clients = {"out": Client(HTTP_X_FORWARDED_PROTO="https"), "in": signed_in}
    if args.load:
        return load(args, paths, signed_in)
    for page in args.pages.split(","):
        for who, client in clients.items():
            path = paths[page]
            assert client.get(path, secure=True).status_code == 200, (page, who)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.get(path, secure=True)
                times.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                profiler = cProfile.Profile()
                profiler.enable()
                client.get(path, secure=True)
                profiler.disable()
            q_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
            print(f"\n=== {page} signed {who}: {path}")
            print(f"median {statistics.median(times):.1f} ms over {args.repeat}; "
                  f"{len(queries.captured_queries)} queries, {q_ms:.1f} ms in the database")
            for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[: args.queries]:
                print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:220]}")
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def load(args, paths, signed_in):
    """The same pages over HTTP beside the bare view, in one run: a quick
    before/after of one change (`make bench` is the full measurement)."""
    from django.conf import settings
    from django.db import connections

    from bench import loadgen, suite

    cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    connections.close_all()
    env = dict(os.environ)
    env.pop("PAGE_CACHE_ENABLED", None)
    server = suite.Server(env, Path(env["DATA_DIR"]) / "server.log", launcher=args.launcher)
    server.start()
    proxy = {"X-Forwarded-Proto": "https"}
    who = {"out": proxy, "in": {**proxy, "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}}
    try:
        for page, path in [("bare", "/bench/bare"), *((p, paths[p]) for p in args.pages.split(","))]:
            for name, headers in who.items():
                loadgen.run(server.port, loadgen.get(path, headers), connections=2, max_requests=10, max_seconds=30)
                cpu = [worker_cpu(pid) for pid in server.worker_pids()]
                r = loadgen.run(server.port, loadgen.get(path, headers), connections=args.load,
                                max_requests=600, max_seconds=10)
                used = [round(worker_cpu(pid) - c, 2) for pid, c in zip(server.worker_pids(), cpu, strict=False)]
                print(f"  CPU seconds per worker {used}", end="")
                print(f"{page:8} signed {name:3} x{args.load}: p50 {r['p50_ms']:6.1f}  p95 {r['p95_ms']:6.1f} ms  "
                      f"{r['rps']:6.1f}/s  {r['status']}")
    finally:
        server.stop()


def worker_cpu(pid):
    """User and system CPU seconds of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
