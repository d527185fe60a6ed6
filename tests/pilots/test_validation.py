"""The pure publish rules of a pilot and of a learning question (issue #18, item 6)."""

from datetime import date
from decimal import Decimal

from consult.questions import missing_for_status
from pilots import validation

COMPLETE = dict(change="a named caseworker", outcome="fewer missed appointments", people="families",
                has_metric=False, measure_name="Missed appointments", measure_unit="%",
                measure_baseline=Decimal(30), measure_target=Decimal(15), status="planned",
                starts_on=None, ends_on=None, lesson="", decision="", decision_reason="")


def test_a_complete_pilot_may_be_published():
    assert validation.publish_problems(**COMPLETE) == {}
    assert validation.publish_problems(**{**COMPLETE, "has_metric": True, "measure_name": "", "measure_unit": "",
                                          "measure_baseline": None, "measure_target": None}) == {}


def test_each_missing_part_of_the_hypothesis_is_named():
    problems = validation.publish_problems(**{**COMPLETE, "change": " ", "outcome": "", "people": ""})
    assert set(problems) == {"change", "outcome", "people"}
    assert "We believe" in problems["change"] and "will lead to" in problems["outcome"]


def test_a_pilot_needs_a_measure():
    problems = validation.publish_problems(**{**COMPLETE, "measure_name": ""})
    assert "measure" in problems["metric"]
    problems = validation.publish_problems(**{**COMPLETE, "measure_unit": "", "measure_target": None})
    assert set(problems) == {"measure_unit", "measure_target"}


def test_an_ended_pilot_needs_its_lesson_and_decision_with_reason():
    problems = validation.publish_problems(**{**COMPLETE, "status": "stopped", "starts_on": date(2026, 1, 1)})
    assert set(problems) == {"lesson", "decision"}
    problems = validation.publish_problems(**{**COMPLETE, "status": "concluded", "starts_on": date(2026, 1, 1),
                                              "lesson": "It did not work.", "decision": "stop"})
    assert set(problems) == {"decision_reason"}
    problems = validation.publish_problems(**{**COMPLETE, "status": "running"})
    assert set(problems) == {"starts_on"}


def test_dates_in_order():
    problems = validation.publish_problems(**{**COMPLETE, "starts_on": date(2026, 5, 1), "ends_on": date(2026, 4, 1)})
    assert set(problems) == {"ends_on"}


def test_results_out_of_range_or_dated_outside_the_pilot_are_named():
    found = validation.unusual_results(
        [(date(2026, 3, 3), Decimal("140")), (date(2026, 3, 10), Decimal("20")), (date(2025, 12, 1), Decimal("-1"))],
        unit="%", low=None, high=None, starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30),
    )
    assert found == [
        "The result of 140% on 3 March 2026 is above the measure's range (highest 100).",
        "The result of -1% on 1 December 2025 is below the measure's range (lowest 0).",
        "The result dated 1 December 2025 is before the pilot starts (1 January 2026).",
    ]
    assert validation.unusual_results([(date(2026, 3, 3), Decimal("140"))], unit="days", low=None, high=None,
                                      starts_on=None, ends_on=None) == []
    assert validation.unusual_results([(date(2026, 3, 3), Decimal("140"))], unit="days", low=None,
                                      high=Decimal(90), starts_on=None, ends_on=None)


def test_a_question_moves_on_only_with_its_evidence():
    assert missing_for_status("open") == ""
    assert "evidence" in missing_for_status("exploring", evidence=0)
    assert missing_for_status("exploring", evidence=1) == ""
    message = missing_for_status("answered", answer="", evidence=0)
    assert "evidence" in message and "the answer" in message
    assert missing_for_status("answered", answer="Yes", evidence=2) == ""
