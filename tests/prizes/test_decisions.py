"""From sheet to results, the pure core (prizes/decisions.py): what
publication warns of, naming the applications; what a decision becomes
once published; the feedback's first draft from the assessors' comments."""

from prizes import decisions
from prizes.decisions import Row


def test_warnings_name_the_outstanding_assessments_and_the_undecided_applications():
    rows = [Row("P1-1", 3, 3, decisions.ADVANCED), Row("P1-2", 3, 1, decisions.DECLINED),
            Row("P1-3", 3, 3, decisions.UNDECIDED), Row("P1-4", 3, 2, decisions.SHORTLISTED)]
    found = decisions.warnings(rows)
    assert found[0] == "3 assessments are outstanding, for 2 applications: P1-2, P1-4."
    assert found[1] == ("2 applications are neither advanced nor awarded and will be marked not taken forward: "
                        "P1-3, P1-4.")
    assert decisions.warnings([Row("P1-1", 3, 3, decisions.AWARDED)]) == []


def test_a_long_list_is_cut_short():
    rows = [Row(f"P1-{n}", 3, 2, decisions.AWARDED) for n in range(1, 9)]
    (warning,) = decisions.warnings(rows)
    assert warning.endswith("P1-1, P1-2, P1-3, P1-4, P1-5 and 3 more.")
    assert warning.startswith("8 assessments are outstanding, for 8 applications")


def test_publication_keeps_only_advanced_and_awarded():
    assert decisions.on_publication(decisions.ADVANCED) == decisions.ADVANCED
    assert decisions.on_publication(decisions.AWARDED) == decisions.AWARDED
    for other in (decisions.SHORTLISTED, decisions.UNDECIDED, decisions.DECLINED):
        assert decisions.on_publication(other) == decisions.DECLINED
    assert set(decisions.PUBLIC) == {decisions.ADVANCED, decisions.AWARDED}


def test_decision_errors_name_their_field():
    assert decisions.decision_error("promote", "", True) == ("decision", "Choose what to do with the application.")
    assert decisions.decision_error(decisions.ADVANCED, "", False)[0] == "decision"
    assert decisions.decision_error(decisions.ADVANCED, "", True) is None
    assert decisions.decision_error(decisions.AWARDED, "  ", True)[0] == "award"
    assert decisions.decision_error(decisions.AWARDED, "x" * 201, True)[0] == "award"
    assert decisions.decision_error(decisions.AWARDED, "£25,000", False) is None


def test_the_feedback_draft_is_the_comments_without_names_and_repeats():
    criteria = [("c1", "Impact"), ("c2", "Team")]
    draft = decisions.draft_feedback(criteria, {"c1": ["Strong case.", " ", "Strong case.", "Costs unclear."]})
    assert draft == {"c1": "Strong case.\n\nCosts unclear.", "c2": ""}
    errors = decisions.feedback_error(draft, criteria)
    assert errors == {"c2": "Write feedback on “Team”."}
    assert decisions.feedback_error({"c1": "x" * 5001, "c2": "ok"}, criteria) == {
        "c1": "Feedback on “Impact” must be 5,000 characters or fewer."}
