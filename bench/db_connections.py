"""PostgreSQL connections held by one ASGI worker under HTTP load.

Why: under ASGI, Django runs each request's sync code on a thread of its own,
and connections are per thread. With persistent connections (CONN_MAX_AGE >
0) a finished request's connection is neither reused nor closed, so a worker
leaks one per request until PostgreSQL refuses new clients. This runs the
same pages under wrk with three connection set-ups (bench/settings_dbconn.py)
and samples pg_stat_activity for the benchmark's database while it runs.

    .venv/bin/python bench/db_connections.py --json /tmp/dbconn.json

Needs wrk and a PostgreSQL you may create a database on (default: trust auth
on 127.0.0.1:5432). Creates and drops the database ``mc_bench_conn``.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.asgi_servers import WRK_LUA, Server, free_port, log, run_wrk, wrk_version  # noqa: E402


def admin(url):
    return psycopg.connect(url, autocommit=True)


def prepare(admin_url, db, data_dir):
    with admin(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cms.settings.dev", DATA_DIR=str(data_dir),
               DATABASE_URL=database_url(admin_url, db))
    env.pop("REDIS_URL", None)
    for argv in (["migrate", "--noinput"], ["load_demo", "--quiet"]):
        subprocess.run([sys.executable, "manage.py", *argv], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)


def database_url(admin_url, db):
    return admin_url.rsplit("/", 1)[0] + "/" + db


class Sampler(threading.Thread):
    """Counts the database's backends four times a second."""

    def __init__(self, admin_url, db):
        super().__init__(daemon=True)
        self.admin_url, self.db = admin_url, db
        self.samples, self.refused = [], 0
        self.stop = threading.Event()

    def count(self):
        with admin(self.admin_url) as conn:
            return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [self.db]).fetchone()[0]

    def run(self):
        while not self.stop.is_set():
            try:
                self.samples.append(self.count())
            except psycopg.OperationalError:  # the server itself is out of connections
                self.refused += 1
            self.stop.wait(0.25)


def run_mode(mode, args, lua, data_dir, logdir):
    port = free_port()
    os.environ.update(DJANGO_SETTINGS_MODULE="bench.settings_dbconn", BENCH_DB_MODE=mode, DATA_DIR=str(data_dir),
                      DATABASE_URL=database_url(args.admin_url, args.db), DATABASE_POOL_SIZE=str(args.pool_size))
    os.environ.pop("REDIS_URL", None)
    server = Server(mode, [sys.executable, "-m", "uvicorn", "cms.asgi:application", "--host", "127.0.0.1",
                           "--port", str(port), "--no-access-log", "--ws-per-message-deflate", "false"],
                    port, logdir / f"server-{mode}.log")
    server.start()
    rows = []
    try:
        for path in args.paths.split(","):
            sampler = Sampler(args.admin_url, args.db)
            sampler.start()
            load = run_wrk(args.wrk, lua, f"http://127.0.0.1:{port}{path}", args.concurrency, args.duration)
            time.sleep(args.settle)
            sampler.stop.set()
            sampler.join()
            after = sampler.count() if not sampler.refused else None
            rows.append({"mode": mode, "path": path, **load, "peak_connections": max(sampler.samples, default=None),
                         "connections_after": after, "sampler_refused": sampler.refused})
            log(f"{mode} {path}: {load['rps']:.0f} req/s, p95 {load['p95_ms']:.0f} ms, non-2xx {load['non_2xx']}, "
                f"peak {rows[-1]['peak_connections']} connections, {after} after {args.settle:.0f} s")
    finally:
        server.stop()
    refused = server.log_path.read_text(errors="replace").count("too many clients")
    for row in rows:
        row["server_log_too_many_clients"] = refused
    return rows


def markdown(rows, args):
    out = [f"{args.concurrency} connections from wrk for {args.duration:.0f} s per page; "
           f"pool max_size {args.pool_size}; PostgreSQL max_connections {args.max_connections}.", "",
           "| Set-up | Page | Req/s | p50 ms | p95 ms | Non-2xx | Peak backends | Backends after |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        peak = r["peak_connections"] if not r["sampler_refused"] else f"{r['peak_connections']} (then refused)"
        out.append(f"| {r['mode']} | `{r['path']}` | {r['rps']:.0f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | "
                   f"{r['non_2xx']} | {peak} | {r['connections_after'] if r['connections_after'] is not None else '-'} |")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db", default="mc_bench_conn")
    parser.add_argument("--modes", default="pool,per-request,persistent")
    parser.add_argument("--paths", default="/health,/missions/")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--settle", type=float, default=5, help="seconds after the load before counting again")
    parser.add_argument("--pool-size", type=int, default=20)
    parser.add_argument("--wrk", default="wrk")
    parser.add_argument("--json")
    args = parser.parse_args()
    with admin(args.admin_url) as conn:
        args.max_connections = conn.execute("SHOW max_connections").fetchone()[0]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lua = tmp / "report.lua"
        lua.write_text(WRK_LUA)
        log(f"preparing {args.db}")
        prepare(args.admin_url, args.db, tmp)
        rows = []
        try:
            for mode in args.modes.split(","):
                rows += run_mode(mode, args, str(lua), tmp, tmp)
                time.sleep(2)  # let the server's backends go before the next set-up
        finally:
            with admin(args.admin_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    print(markdown(rows, args))
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "wrk": wrk_version(args.wrk), "args": vars(args)},
                                              indent=2, default=str))


if __name__ == "__main__":
    main()
