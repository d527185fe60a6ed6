"""What leaving out ideas of restricted calls costs the lists that span a
mission (ideas/visibility.py `listed_ideas`: a NOT EXISTS subquery on
Wagtail's view restrictions), beside the same reads from `public_ideas`, in
the same run, alternating.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mc_profile \\
        .venv/bin/python bench/listed_ideas.py [--runs 30]

Uses the database bench/profile_pages.py --seed makes (a call of 10,000
ideas with 1,000,000 votes under "bench-mission"). Measured: the mission's
"you said, we did" read (pilots/selectors.py `ledger`, first page) and a
count of the mission's public ideas, each with no view restriction in the
site and with one on a page beside the mission (so the subquery has a row
to test, and both reads return the same rows). Nothing is written but that
page and its restriction, removed at the end. Prints JSON; nothing is
asserted."""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, runs):
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to the database bench/profile_pages.py --seed made")
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"  # as bench/participation.py: DEBUG off, DATABASE_URL
    import django

    django.setup()
    from wagtail.models import Page, PageViewRestriction

    from consult.models import MissionPage
    from ideas import visibility
    from pilots import selectors

    mission = MissionPage.objects.get(slug="bench-mission")
    ideas_in = {"call__path__startswith": mission.path, "call__depth": mission.depth + 1}
    listed_ledger = selectors._ledger_ideas

    def public_ledger(mission, call):  # the rule before: every public idea of the mission's calls
        return visibility.public_ideas().filter(**ideas_in)

    def run_ledger(reader):
        selectors._ledger_ideas = reader
        try:
            return selectors.ledger(mission)
        finally:
            selectors._ledger_ideas = listed_ledger

    cases = {
        "ledger_listed": lambda: run_ledger(listed_ledger),
        "ledger_public": lambda: run_ledger(public_ledger),
        "count_listed": lambda: visibility.listed_ideas().filter(**ideas_in).count(),
        "count_public": lambda: visibility.public_ideas().filter(**ideas_in).count(),
    }
    results = {"ideas": visibility.public_ideas().filter(**ideas_in).count(), "runs": args.runs}
    # A restricted page beside the mission, holding no ideas: both reads
    # return the same rows, and the subquery has a restriction to test.
    other = mission.get_parent().add_child(instance=Page(title="Bench restricted", slug="bench-restricted-page"))
    for restricted in (False, True):
        restriction = PageViewRestriction.objects.create(page=other, restriction_type="login") if restricted else None
        try:
            samples = {name: [] for name in cases}
            for _ in range(args.runs):  # alternating, so drift hits both alike
                for name, fn in cases.items():
                    samples[name] += timed(fn, 1)
        finally:
            if restriction is not None:
                restriction.delete()
        key = "one_restriction" if restricted else "no_restriction"
        if restricted:
            other.delete()
        results[key] = {name: {"p50_ms": round(statistics.median(s), 2),
                               "p95_ms": round(sorted(s)[int(0.95 * (len(s) - 1))], 2)}
                        for name, s in samples.items()}
        for base in ("ledger", "count"):
            results[key][f"{base}_ratio_p50"] = round(
                results[key][f"{base}_listed"]["p50_ms"] / results[key][f"{base}_public"]["p50_ms"], 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
