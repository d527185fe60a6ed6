"""Challenge prizes in-process (issue #28): assigning applications to a
panel with declared conflicts, and scoring a panel sheet, each timed beside
a same-run baseline.

- Assignment (prizes/assignment.py) of `applications` to `assessors`, three
  each, every assessor with their own organisation and five declared
  conflicts; baseline: a round-robin deal of the same applications that
  ignores conflicts and workload (the least any assignment does).
- The panel sheet's arithmetic (prizes/scoring.py: weighted totals, mean,
  spread, outliers, ranking) at applications × 3 assessors × 6 criteria;
  baseline: the plain mean of the same raw scores."""

import random
import time

from prizes.assignment import Application, Assessor, assign
from prizes.scoring import Criterion, ranked, summarise

CRITERIA = [Criterion(f"c{i}", weight=1 + i % 3) for i in range(6)]


def _timed(fn, repeat=3):
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
    return best, result


def world(applications, assessors, rng):
    orgs = max(applications // 6, 10)
    panel = [Assessor(id=100_000 + i, organisations=frozenset({rng.randrange(orgs)}),
                      conflict_organisations=frozenset(rng.sample(range(orgs), 5)),
                      conflict_people=frozenset(rng.sample(range(applications), min(5, applications))))
             for i in range(assessors)]
    apps = [Application(id=i, applicant=i, organisation=rng.randrange(orgs)) for i in range(applications)]
    return apps, panel


def measure(applications, assessors, rng=None):
    rng = rng or random.Random(28)
    apps, panel = world(applications, assessors, rng)
    assign_s, plan = _timed(lambda: assign(apps, panel, 3))

    def round_robin():
        ids = [a.id for a in panel]
        return {app.id: tuple(ids[(3 * n + k) % len(ids)] for k in range(3)) for n, app in enumerate(apps)}

    baseline_s, _ = _timed(round_robin)
    sheets = {app.id: {assessor: {c.key: rng.randint(0, 10) for c in CRITERIA} for assessor in plan.assigned[app.id]}
              for app in apps}
    sheet_s, rows = _timed(lambda: ranked(summarise(app, sheets[app], CRITERIA, 3) for app in sheets))

    def plain_mean():
        return {app: sum(sum(s.values()) for s in by.values()) / (len(by) * len(CRITERIA)) for app, by in sheets.items()}

    plain_s, _ = _timed(plain_mean)
    return {"applications": applications, "assessors": assessors, "assign_s": assign_s,
            "round_robin_s": baseline_s, "complete": plan.complete, "max_load": max(plan.load.values()),
            "min_load": min(plan.load.values()), "sheet_ms": sheet_s * 1000, "plain_mean_ms": plain_s * 1000,
            "ranked": len(rows)}
