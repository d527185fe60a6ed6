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

from bench.inprocess import quantile, signed_in_client, timed_gets
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


def sheet_world(mission, applications, rng):
    """A prize under `mission` in its assessment stage: `applications`
    submitted applications, each scored by 3 of its panel on 6 criteria,
    the sheet's rows stored as refresh_result stores them. Returns (prize,
    team user)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from consult.models import MissionMembership
    from prizes.models import Application as Row
    from prizes.models import Assignment, PanelMember, Score, StageResult
    from tests.factories import MembershipFactory, UserFactory
    from tests.prizes.factories import PrizeFactory, stage_blocks

    blocks = stage_blocks()
    blocks[0]["value"]["criteria"] = [{"name": f"Criterion {i}", "meaning": "", "weight": 1 + i % 3, "low": 0,
                                       "high": 10} for i in range(6)]
    prize = PrizeFactory(parent=mission, slug="bench-prize", prize_stages=blocks)
    stage = prize.stages()[0]
    team = UserFactory(username="bench-team")
    MembershipFactory(user=team, mission=mission, role=MissionMembership.ROLE_TEAM)
    panel = [UserFactory(username=f"bench-assessor-{i}") for i in range(12)]
    PanelMember.objects.bulk_create([PanelMember(prize=prize, user=u, is_chair=i == 0) for i, u in enumerate(panel)])
    applicants = [UserFactory.build(username=f"bench-applicant-{i}", email=f"a{i}@bench.invalid")
                  for i in range(applications)]
    get_user_model().objects.bulk_create(applicants)
    applicants = list(get_user_model().objects.filter(username__startswith="bench-applicant-").order_by("pk"))
    now = timezone.now()
    criteria = [c.for_scoring() for c in stage.criteria]
    with transaction.atomic():
        rows = Row.objects.bulk_create([Row(prize=prize, applicant=u, stage=stage.id, status=Row.SUBMITTED,
                                            submitted_at=now) for u in applicants])
        assignments = Assignment.objects.bulk_create([
            Assignment(application=row, stage=stage.id, assessor=panel[(3 * n + k) % len(panel)], submitted_at=now)
            for n, row in enumerate(rows) for k in range(3)])
        sheets, scores = {}, []
        for assignment in assignments:
            values = {c.key: rng.randint(0, 10) for c in criteria}
            sheets.setdefault(assignment.application_id, {})[assignment.assessor_id] = values
            scores += [Score(assignment=assignment, criterion=k, value=v, comment="") for k, v in values.items()]
        Score.objects.bulk_create(scores, batch_size=5000)
        results = []
        for row in rows:
            s = summarise(row.pk, sheets[row.pk], criteria, 3, threshold=stage.threshold)
            results.append(StageResult(prize=prize, application=row, stage=stage.id, assigned=3, assessed=3,
                                       mean=s.mean, spread=s.spread, outliers=list(s.outliers),
                                       disagreement=s.disagreement, final=s.final, passes=s.passes))
        StageResult.objects.bulk_create(results, batch_size=2000)
    return prize, team


def measure_sheet(mission, applications, requests, rng=None):
    """The panel sheet page (`sheet/`, its first page of 50, ranked by the
    database from the stored rows) timed in-process through Django's test
    client as the mission team; baseline: computing the same ranking live
    from the stage's score rows on each request (reading every score and
    summarising, what a sheet without stored aggregates would do)."""
    from prizes.models import Score

    rng = rng or random.Random(28)
    prize, team = sheet_world(mission, applications, rng)
    stage = prize.stages()[0]
    criteria = [c.for_scoring() for c in stage.criteria]
    client = signed_in_client(team)
    url = prize.get_url() + "sheet/"
    assert client.get(url).status_code == 200  # warm: templates, the session
    page_ms = timed_gets(client, url, requests, "the panel sheet")

    def live():
        sheets = {}
        for app, assessor, criterion, value in Score.objects.filter(assignment__application__prize=prize).values_list(
                "assignment__application_id", "assignment__assessor_id", "criterion", "value").iterator(4000):
            sheets.setdefault(app, {}).setdefault(assessor, {})[criterion] = value
        return ranked(summarise(app, by, criteria, 3) for app, by in sheets.items())

    live_ms = []
    for _ in range(max(requests // 4, 3)):
        started = time.perf_counter()
        live()
        live_ms.append((time.perf_counter() - started) * 1000)
    return {"applications": applications, "requests": requests, "sheet_p95_ms": quantile(page_ms, 0.95),
            "sheet_p50_ms": quantile(page_ms, 0.5), "live_p95_ms": quantile(live_ms, 0.95), "live_runs": len(live_ms)}
