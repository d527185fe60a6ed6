"""How fast `manage.py import_polis` imports votes (issue #19, item 4).

    DATABASE_URL=postgres://... python -m bench.polis_import [--profile] [--repeat 3]

Imports each shipped Pol.is conversation (../shared/data/polis, or
data/polis) through the management command, under a mission made for the
run, with --replace (so a repeat replaces the previous import, as an editor
importing again would), and prints votes a second for each: the whole
command, from reading the CSV files to the commit and what runs after it
(search indexing, the opinion map). Beside them, the baseline of the same
run on the same database: one plain INSERT ... SELECT of the same number of
rows into the votes table, its foreign keys checked (then rolled back), i.e.
what the database itself needs to store that many votes. Prints `uptime` too: the machine is shared.

It writes to that database (a mission "bench-polis" and a call per import,
with its participants' accounts): use a scratch database.

--profile prints the cProfile of one import of the largest conversation.
Nothing here is asserted; the figures are judged by people.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "polis"
REPO = ROOT / "data" / "polis"


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()


def folders():
    base = SHARED if SHARED.is_dir() else REPO
    return sorted(p for p in base.iterdir() if (p / "votes.csv").is_file())


def mission():
    from cms.site_setup import ensure_site
    from consult.models import MissionPage
    from tests.factories import MissionFactory

    ensure_site()
    return MissionPage.objects.filter(slug="bench-polis").first() or MissionFactory(slug="bench-polis",
                                                                                    title="Bench Pol.is")


def import_once(page, folder, slug, replace=False):
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("import_polis", str(folder), mission=page.slug, slug=slug, replace=replace, stdout=io.StringIO())
    return time.perf_counter() - started


_runs = iter(range(10**9))


def fresh_slug(folder):
    """A slug never used in this database: a first import, new participants' accounts too."""
    return f"b{int(time.time())}-{next(_runs)}-{folder.name.replace('.', '-')}"[:60]


def baseline(n):
    """Seconds for one INSERT ... SELECT of n vote rows (rolled back)."""
    from django.db import connection, transaction

    from ideas.models import Idea, Vote

    idea = Idea.objects.order_by("pk").first()
    with transaction.atomic():
        # Throwaway voters so (idea, user) stays unique; made before the clock starts.
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
                "is_active, date_joined) SELECT '!', false, 'bench-baseline-' || g, '', '', '', false, false, now() "
                "FROM generate_series(1, %s) g", [n])
            # The foreign keys are checked at the commit, and this is rolled
            # back: checked at once instead, so the baseline pays for them
            # as the import does.
            if connection.vendor == "postgresql":
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            started = time.perf_counter()
            cur.execute(
                f"INSERT INTO {Vote._meta.db_table} (idea_id, user_id, call_id, value, created_at) "
                "SELECT %s, u.id, %s, 'agree', now() FROM auth_user u WHERE u.username LIKE 'bench-baseline-%%'",
                [idea.pk, idea.call_id])
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="imports of each conversation; the best is shown")
    parser.add_argument("--profile", action="store_true", help="cProfile one import of the largest conversation")
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from ideas.polis import read_conversation

    page = mission()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True, check=False).stdout.strip()}")
    if args.profile:
        folder = max(folders(), key=lambda f: (f / "votes.csv").stat().st_size)
        import_once(page, folder, fresh_slug(folder))  # warm
        profiler = cProfile.Profile()
        profiler.enable()
        seconds = import_once(page, folder, fresh_slug(folder))
        profiler.disable()
        print(f"{folder.name}: {seconds:.2f} s")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return
    total_votes, total_seconds = 0, 0.0
    for folder in folders():
        votes = len(read_conversation(folder).votes)
        best = min(import_once(page, folder, fresh_slug(folder)) for _ in range(args.repeat))
        slug = fresh_slug(folder)
        import_once(page, folder, slug)
        again = min(import_once(page, folder, slug, replace=True) for _ in range(args.repeat))
        base = baseline(votes)
        total_votes += votes
        total_seconds += best
        print(f"{folder.name:38} {votes:7,} votes  first import {best:6.3f} s {votes / best:9,.0f} votes/s  "
              f"re-import (--replace) {again:6.3f} s {votes / again:9,.0f} votes/s   "
              f"baseline INSERT ... SELECT: {base:.3f} s ({votes / base:,.0f} rows/s)")
    base = baseline(total_votes)
    print(f"{'all three, first imports':38} {total_votes:7,} votes  {total_seconds:6.3f} s "
          f"{total_votes / total_seconds:9,.0f} votes/s   baseline INSERT ... SELECT {total_votes:,} rows: {base:.3f} s ({total_votes / base:,.0f} rows/s)")
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True, check=False).stdout.strip()}")


if __name__ == "__main__":
    main()
