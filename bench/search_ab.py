"""Old and new database search code, interleaved, at the same load.

    .venv/bin/python bench/search.py --db postgres --ideas 100000 --keep
    .venv/bin/python bench/search_ab.py --old HEAD   # on the kept database

On a shared machine the load moves between two benchmark runs by more than
the change being measured. This replays the queries of a bench/search.py
run (its JSON) on its kept database through `search/database.py` as it is
at the git ref --old and as it is in the working tree, alternately, one
query at a time, in one process (each hit re-checked through
ideas.search_documents.visible, as the search page does), after a warm-up
of 30. No icontains query runs in between, so each search finds the cache
as the previous search left it. The old code must work on the current
schema (extra columns and indexes are harmless). Prints p50 and p95 per
query kind and writes JSON (default bench/results/search-postgres-ab.json)."""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values, p):
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mc_bench_search")
    parser.add_argument("--queries", default=str(ROOT / "bench" / "results" / "search-postgres.json"))
    parser.add_argument("--old", default="HEAD", help="git ref of the old search/database.py")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "search-postgres-ab.json"))
    args = parser.parse_args()

    for name in ("REDIS_URL", "ELASTICSEARCH_URL"):
        os.environ.pop(name, None)
    tmp = Path(tempfile.mkdtemp(prefix="mc-search-ab-"))
    os.environ.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", DATA_DIR=str(tmp), DEBUG="0",
                      DATABASE_URL=args.database_url)
    old_file = tmp / "database_old.py"
    old_file.write_text(subprocess.run(["git", "show", f"{args.old}:search/database.py"], cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout)
    import django

    django.setup()
    from ideas.search_documents import visible
    from search import backend, database

    spec = importlib.util.spec_from_file_location("search.database_old", old_file)
    old = importlib.util.module_from_spec(spec)
    old.__package__ = "search"
    spec.loader.exec_module(old)

    rows = json.loads(Path(args.queries).read_text())["queries"]

    def run(module, text):
        return backend._recheck(module.search(text, per_page=20, facets=True), visible)

    for row in rows[:30]:
        run(old, row["query"])
        run(database, row["query"])
    load_start = open("/proc/loadavg").read().split()[:3]
    timed = []
    for i, row in enumerate(rows):
        times = {}
        for name in (["old", "new"] if i % 2 else ["new", "old"]):
            started = time.perf_counter()
            run(old if name == "old" else database, row["query"])
            times[name] = (time.perf_counter() - started) * 1000
        timed.append((row["category"], row["query"], times["old"], times["new"]))
    summary = {"old_ref": args.old, "load_start": load_start, "load_end": open("/proc/loadavg").read().split()[:3],
               "by_category": {}}
    for category in dict.fromkeys(t[0] for t in timed):
        o = [t[2] for t in timed if t[0] == category]
        n = [t[3] for t in timed if t[0] == category]
        summary["by_category"][category] = {"n": len(o), "old_p50": pct(o, 50), "old_p95": pct(o, 95),
                                            "new_p50": pct(n, 50), "new_p95": pct(n, 95)}
        print(f"{category:14} n={len(o):3} old p50 {pct(o, 50):6.1f} p95 {pct(o, 95):6.1f} | "
              f"new p50 {pct(n, 50):6.1f} p95 {pct(n, 95):6.1f}")
    for name, index in (("old", 2), ("new", 3)):
        values = [t[index] for t in timed]
        summary[name] = {"p50": pct(values, 50), "p95": pct(values, 95)}
        print(f"{name} all: p50 {pct(values, 50):.1f} p95 {pct(values, 95):.1f}")
    print(f"load average {summary['load_start']} -> {summary['load_end']}")
    Path(args.json).write_text(json.dumps({"summary": summary, "queries": timed}, indent=1))


if __name__ == "__main__":
    main()
