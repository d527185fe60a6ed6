"""Importing real consultations, and reading them back as open data.

1. Times `manage.py import_polis` for each Pol.is export given (a fresh
   database with the demo loaded; SQLite unless --database-url is set).
2. Serves that database with one uvicorn worker and runs wrk on the open data
   endpoints and on the pages that show the imported calls.

    .venv/bin/python bench/open_data.py --polis-dir ../shared/data/polis --json /tmp/open-data.json

Needs wrk. With --database-url (PostgreSQL) the database named there is
dropped and created again.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.asgi_servers import WRK_LUA, Server, free_port, log, run_wrk, wrk_version  # noqa: E402


def manage(env, *argv):
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "manage.py", *argv], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return time.perf_counter() - started, out


def recreate(database_url):
    import psycopg

    admin, name = database_url.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polis-dir", required=True, help="folder holding Pol.is export folders")
    parser.add_argument("--mission", default="safer-streets")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--wrk", default="wrk")
    parser.add_argument("--json")
    args = parser.parse_args()
    folders = sorted(p for p in Path(args.polis_dir).iterdir() if (p / "votes.csv").is_file())

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "ELASTICSEARCH_URL", "DATABASE_URL"}}
        env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", DATA_DIR=str(tmp))
        if args.database_url:
            recreate(args.database_url)
            env["DATABASE_URL"] = args.database_url
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo", "--quiet")
        imports = []
        for folder in folders:
            seconds, out = manage(env, "import_polis", str(folder), "--mission", args.mission, "--replace")
            imports.append({"folder": folder.name, "seconds": seconds, "result": out.strip()})
            log(f"import {folder.name}: {seconds:.2f} s: {out.strip()}")

        for name in ("REDIS_URL", "ELASTICSEARCH_URL", "DATABASE_URL"):
            if name not in env:
                os.environ.pop(name, None)
        os.environ.update(env, DJANGO_SETTINGS_MODULE="bench.settings_dbconn")  # dev, DEBUG off
        port = free_port()
        server = Server("open-data", [sys.executable, "-m", "uvicorn", "cms.asgi:application", "--host",
                                      "127.0.0.1", "--port", str(port), "--no-access-log",
                                      "--ws-per-message-deflate", "false"], port, tmp / "server.log")
        server.start()
        lua = tmp / "report.lua"
        lua.write_text(WRK_LUA)
        rows = []
        try:
            import urllib.request

            missions = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/missions").read())
            imported = [c for m in missions["results"] for c in m["calls"] if c["data_attribution"]]
            biggest = max(imported, key=lambda c: c["participation"]["votes"])
            paths = ["/api/v1/missions", f"/api/v1/calls/{biggest['id']}/ideas?sort=agreed",
                     biggest["url"], biggest["url"] + "?sort=supported&page=2"]
            for path in paths:
                result = run_wrk(args.wrk, str(lua), f"http://127.0.0.1:{port}{path}", args.concurrency,
                                 args.duration)
                rows.append({"path": path, **result})
                log(f"{path}: {result['rps']:.0f} req/s, p50 {result['p50_ms']:.0f} ms, "
                    f"p95 {result['p95_ms']:.0f} ms, non-2xx {result['non_2xx']}")
        finally:
            server.stop()
    print("| Import | Seconds (process start-up included) | Result |\n|---|---:|---|")
    for i in imports:
        print(f"| `{i['folder']}` | {i['seconds']:.2f} | {i['result']} |")
    print("\n| Path | Req/s | p50 ms | p95 ms | Non-2xx |\n|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| `{r['path']}` | {r['rps']:.0f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['non_2xx']} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"imports": imports, "http": rows, "wrk": wrk_version(args.wrk),
                                               "args": vars(args)}, indent=2, default=str))


if __name__ == "__main__":
    main()
