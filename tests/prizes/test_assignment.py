"""prizes/assignment.py: every application gets its assessors, none with a
conflict, loads balanced, earlier assignments kept, and a shortfall named."""

import random

import pytest

from prizes.assignment import Application, Assessor, assign, conflicted, shortfall_message


def panel(n, **conflicts):
    return [Assessor(id=1000 + i, **conflicts.get(i, {})) for i in range(n)]


def test_each_application_gets_three_different_assessors_and_loads_stay_within_one():
    apps = [Application(id=i, applicant=i) for i in range(100)]
    plan = assign(apps, panel(12))
    assert plan.complete and set(plan.assigned) == {a.id for a in apps}
    assert all(len(set(ids)) == 3 for ids in plan.assigned.values())
    loads = plan.load.values()
    assert sum(loads) == 300 and max(loads) - min(loads) <= 1


def test_nobody_reads_their_own_their_organisations_or_a_declared_conflicts_application():
    own = Assessor(id=7, organisations=frozenset({70}))
    declared = Assessor(id=8, conflict_people=frozenset({5}), conflict_organisations=frozenset({71}))
    apps = [Application(id=1, applicant=7), Application(id=2, applicant=9, organisation=70),
            Application(id=3, applicant=5), Application(id=4, applicant=6, organisation=71),
            Application(id=5, applicant=6, organisation=72)]
    assert [conflicted(own, a) for a in apps] == [True, True, False, False, False]
    assert [conflicted(declared, a) for a in apps] == [False, False, True, True, False]
    plan = assign(apps, [own, declared, *panel(3)], per_application=3)
    assert plan.complete
    for app in apps:
        assert not any(conflicted(a, app) for a in (own, declared) if a.id in plan.assigned[app.id])
    assert 7 in plan.assigned[3] and 8 in plan.assigned[2]  # each still reads what they may


def test_random_conflicts_are_never_broken_and_the_constrained_are_placed_first():
    rng = random.Random(4)
    assessors = [Assessor(id=1000 + i, organisations=frozenset({rng.randrange(40)}),
                          conflict_organisations=frozenset(rng.sample(range(40), 3))) for i in range(20)]
    apps = [Application(id=i, applicant=i, organisation=rng.randrange(40)) for i in range(300)]
    plan = assign(apps, assessors)
    by_id = {a.id: a for a in assessors}
    assert plan.complete
    for app in apps:
        assert len(set(plan.assigned[app.id])) == 3
        assert not any(conflicted(by_id[a], app) for a in plan.assigned[app.id])
    assert max(plan.load.values()) - min(plan.load.values()) <= 3


def test_existing_assignments_are_kept_and_count_towards_the_load():
    apps = [Application(id=i, applicant=i) for i in range(6)]
    plan = assign(apps, panel(4), per_application=2, existing={0: [1000, 1001], 1: [1002]})
    assert plan.assigned[0] == (1000, 1001) and plan.assigned[1][0] == 1002 and len(plan.assigned[1]) == 2
    assert sum(plan.load.values()) == 12 and max(plan.load.values()) - min(plan.load.values()) <= 1


def test_a_panel_too_small_is_short_by_a_stated_number():
    apps = [Application(id=1, applicant=1, organisation=5), Application(id=2, applicant=2)]
    assessors = [Assessor(id=10, organisations=frozenset({5})), Assessor(id=11), Assessor(id=12)]
    plan = assign(apps, assessors, per_application=3)
    assert plan.shortfall == {1: 1} and plan.missing() == 1 and not plan.complete
    assert plan.assigned[1] == (11, 12) or set(plan.assigned[1]) == {11, 12}
    message = shortfall_message(plan, {1: "Tidal kites"})
    assert message.startswith("The panel is 1 assessment short: 1 application has too few") and "Tidal kites" in message
    assert shortfall_message(assign(apps[1:], assessors)) == ""


def test_a_panel_needs_at_least_one_assessor_per_application():
    with pytest.raises(ValueError):
        assign([Application(id=1, applicant=1)], panel(3), per_application=0)
