"""prizes/stages.py: stages read from the page's stream with their ids,
their problems named in the team's words, and where the clock stands."""

from datetime import datetime, timedelta, UTC

from prizes.stages import Stage, from_blocks, position, problems

T = datetime(2027, 3, 1, 9, tzinfo=UTC)


def block(name, opens, closes, criteria=(), questions=(), threshold=None):
    return {"name": name, "opens": opens, "closes": closes, "awards": "", "threshold": threshold, "assessors": 3,
            "criteria": list(criteria), "questions": list(questions)}


def test_stages_keep_the_ids_of_their_criteria_and_questions_and_weights_become_shares():
    (stage,) = from_blocks([("s1", block("Open", T, T + timedelta(days=9),
                                          criteria=[("c1", {"name": "Impact", "meaning": "m", "weight": 3, "low": 0, "high": 10}),
                                                    ("c2", {"name": "Team", "meaning": "", "weight": 1, "low": 1, "high": 5})],
                                          questions=[("q1", {"question": "What?", "guidance": None, "word_limit": 250})]))])
    assert stage.id == "s1" and [c.id for c in stage.criteria] == ["c1", "c2"] and stage.questions[0].id == "q1"
    assert [stage.weight_share(c) for c in stage.criteria] == [75, 25]
    assert stage.criteria[1].for_scoring().low == 1 and stage.questions[0].word_limit == 250


def test_problems_are_named_stage_by_stage():
    day = timedelta(days=1)
    bad = [Stage("a", "Open", T, T - day, threshold=120),
           Stage("b", "Final", T - 2 * day, T + day)]
    assert problems(bad) == [
        "Stage 1 (Open): it must close after it opens.",
        "Stage 1 (Open): the quality threshold is a share of the maximum, 0 to 100.",
        "Stage 2 (Final): it must open when stage 1 closes or later.",
    ]
    assert problems([]) == ["Add at least one stage."]
    assert problems([Stage("a", "Open", T, T + day)]) == []


def test_the_clock_names_the_open_stage_or_the_next():
    day = timedelta(days=1)
    stages = [Stage("a", "Open", T, T + 10 * day), Stage("b", "Final", T + 20 * day, T + 30 * day)]
    assert position(stages, T + day).stage.name == "Open" and position(stages, T + day).index == 0
    between = position(stages, T + 15 * day)
    assert between.stage is None and between.coming.name == "Final"
    assert position(stages, T - day).coming.name == "Open"
    after = position(stages, T + 31 * day)
    assert after.stage is None and after.coming is None
