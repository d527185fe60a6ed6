"""The participation dashboard of a call with 10,000 ideas and 1,000,000
votes, against the plain call page, in the same run (issue #17: within 3x).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mc_bench_participation \\
        .venv/bin/python bench/participation.py [--runs 30] [--keep]

The database named in DATABASE_URL is dropped and made again (unless --keep
and it already holds the data). Rows are made with set-based SQL: 10,000
ideas (three in five on behalf of 300 organisations of every type, size and
region), 1,000,000 votes from 100 voters and 20,000 comments, spread over
twelve weeks. Each page is fetched in-process (Django's test client, DEBUG
off), alternating, after a warm-up; the figures are wall-clock per request.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def recreate(database_url):
    import psycopg

    admin, name = database_url.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed():
    from django.db import connection

    from people.choices import OrganisationSize, OrganisationType, Region
    from tests.factories import CallFactory, MissionFactory, OrganisationFactory, UserFactory
    from cms.site_setup import ensure_site

    ensure_site()
    mission = MissionFactory(slug="bench-mission")
    call = CallFactory(parent=mission, slug="bench-call")
    voters = [UserFactory() for _ in range(100)]
    types, sizes, regions = OrganisationType.values, OrganisationSize.values, Region.values
    orgs = [OrganisationFactory(type=types[n % len(types)], size=sizes[n % len(sizes)],
                                region=regions[n % len(regions)], admin=voters[n % 100]) for n in range(300)]
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO ideas_idea (call_id, author_id, on_behalf_of_id, title, summary, body, body_html,
                organisation, status, visibility, moderation_reason, response, response_html, support_count,
                agree_count, disagree_count, pass_count, comment_count, created_at, updated_at)
            SELECT %s, (%s::bigint[])[1 + n %% 100],
                CASE WHEN n %% 5 < 3 THEN (%s::bigint[])[1 + n %% 300] END,
                'Idea ' || n, 'Summary', 'Body', '<p>Body</p>', '', 'submitted', 'published', '', '', '',
                100, 0, 0, 0, 2, now() - ((n %% 84) || ' days')::interval, now()
            FROM generate_series(1, 10000) AS n
            """,
            [call.pk, [v.pk for v in voters], [o.pk for o in orgs]],
        )
        cur.execute(
            """
            INSERT INTO ideas_vote (idea_id, user_id, call_id, value, created_at)
            SELECT i.id, u.id, %s, 'support', i.created_at + ((u.id %% 7) || ' days')::interval
            FROM ideas_idea i CROSS JOIN auth_user u
            WHERE i.call_id = %s AND u.id = ANY(%s)
            """,
            [call.pk, call.pk, [v.pk for v in voters]],
        )
        cur.execute(
            """
            INSERT INTO ideas_comment (idea_id, author_id, body, body_html, visibility, moderation_reason,
                is_deleted, depth, support_count, created_at, anonymous)
            SELECT i.id, (%s::bigint[])[1 + (i.id + k) %% 100], 'c', '<p>c</p>', 'published', '', false, 0, 0,
                i.created_at, false
            FROM ideas_idea i CROSS JOIN generate_series(1, 2) AS k WHERE i.call_id = %s
            """,
            [[v.pk for v in voters], call.pk],
        )
        cur.execute("UPDATE consult_challengecallpage SET idea_count = 10000 WHERE page_ptr_id = %s", [call.pk])
        cur.execute("ANALYZE")
    return call


def timed(client, url, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="reuse the database if it holds the data")
    parser.add_argument("--json")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it is dropped and made again).")
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    import django

    if not args.keep:
        recreate(url)
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from consult.models import ChallengeCallPage

    call_command("migrate", "--noinput", verbosity=0)
    call = ChallengeCallPage.objects.filter(slug="bench-call").first()
    if call is None:
        started = time.perf_counter()
        call = seed()
        print(f"seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    client = Client()
    pages = {"call page": call.url, "participation": call.url + "participation/"}
    for path in pages.values():
        timed(client, path, 3)  # warm-up
    results = {name: [] for name in pages}
    for _ in range(args.runs):
        for name, path in pages.items():
            results[name] += timed(client, path, 1)
    rows = {}
    for name, times in results.items():
        times.sort()
        rows[name] = {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))]}
    ratio = rows["participation"]["p50_ms"] / rows["call page"]["p50_ms"]
    # What the worker does once a minute while people take part: the counting itself.
    from participation.services import recompute

    mission = call.get_parent().specific
    recounts = []
    for _ in range(3):
        started = time.perf_counter()
        recompute(mission, call)
        recounts.append(time.perf_counter() - started)
    rows["recount in the worker"] = {"p50_ms": statistics.median(recounts) * 1000, "p95_ms": max(recounts) * 1000}
    print("| Page (10,000 ideas, 1,000,000 votes) | p50 ms | p95 ms |\n|---|---:|---:|")
    for name, row in rows.items():
        print(f"| {name} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} |")
    print(f"\nparticipation / call page (p50): {ratio:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "ratio_p50": ratio, "runs": args.runs,
                                               "loadavg": os.getloadavg()}, indent=2))
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
