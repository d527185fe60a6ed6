"""The pure rules of "you said, we did" (pilots/ledger.py) and the median in
words (pilots/ledger_views.py)."""

from datetime import timedelta

import pytest

from pilots import ledger
from pilots.ledger_views import median_words


@pytest.mark.parametrize("status, responded, pilots, expected", [
    ("submitted", False, (), ledger.AWAITING),
    ("under_review", False, (), ledger.AWAITING),
    ("shortlisted", True, (), ledger.RESPONDED),
    ("not_selected", False, (), ledger.NOT_TAKEN_FORWARD),
    ("not_selected", True, (), ledger.NOT_TAKEN_FORWARD),
    ("merged", True, (), ledger.MERGED),
    ("taken_forward", False, (), ledger.TAKEN_FORWARD),
    ("taken_forward", True, [("planned", "")], ledger.TAKEN_FORWARD),
    ("taken_forward", False, [("running", "")], ledger.PILOTED),
    ("taken_forward", False, [("stopped", "stop")], ledger.PILOTED),
    ("taken_forward", False, [("concluded", "adapt")], ledger.PILOTED),
    ("taken_forward", False, [("concluded", "scale")], ledger.SCALED),
    # A pilot outranks a later status change, and the best pilot wins.
    ("not_selected", True, [("planned", ""), ("concluded", "scale")], ledger.SCALED),
    ("merged", False, [("running", "")], ledger.PILOTED),
    # Scale decided but the pilot not concluded yet: piloted, not scaled.
    ("taken_forward", False, [("running", "scale")], ledger.PILOTED),
])
def test_outcome(status, responded, pilots, expected):
    assert ledger.outcome(status=status, responded=responded, pilots=pilots) == expected


@pytest.mark.parametrize("status, responded, pilots, expected", [
    ("submitted", False, (), ledger.NO_RESPONSE_EXPECTED),
    ("shortlisted", True, (), ledger.RESPONDED),  # answered anyway: responded
    ("not_selected", False, (), ledger.NOT_TAKEN_FORWARD),
    ("taken_forward", False, [("running", "")], ledger.PILOTED),
])
def test_an_idea_that_asks_no_answer_is_not_awaiting_one(status, responded, pilots, expected):
    assert ledger.outcome(status=status, responded=responded, pilots=pilots, expected=False) == expected


def test_every_outcome_has_a_label():
    keys = {ledger.SCALED, ledger.PILOTED, ledger.TAKEN_FORWARD, ledger.MERGED, ledger.NOT_TAKEN_FORWARD,
            ledger.RESPONDED, ledger.NO_RESPONSE_EXPECTED, ledger.AWAITING}
    assert set(ledger.LABELS) == keys


def test_counts_nest_scaled_in_piloted_in_taken_forward():
    outcomes = [ledger.SCALED, ledger.PILOTED, ledger.PILOTED, ledger.TAKEN_FORWARD, ledger.MERGED]
    assert ledger.counts(outcomes, received=10, responded=7) == {
        "received": 10, "responded": 7, "taken_forward": 4, "piloted": 3, "scaled": 1,
    }
    assert ledger.counts([], received=0, responded=0) == {
        "received": 0, "responded": 0, "taken_forward": 0, "piloted": 0, "scaled": 0,
    }


def test_median_days():
    assert ledger.median_days([]) is None
    assert ledger.median_days([None]) is None
    assert ledger.median_days([timedelta(days=3)]) == 3.0
    assert ledger.median_days([timedelta(days=1), timedelta(days=10), timedelta(days=2)]) == 2.0
    assert ledger.median_days([timedelta(days=1), timedelta(days=2)]) == 1.5
    assert ledger.median_days([timedelta(hours=12), None]) == 0.5


@pytest.mark.parametrize("days, words", [
    (None, None), (0.0, "Less than a day"), (0.9, "Less than a day"), (1.0, "1 day"), (1.4, "1 day"),
    (1.5, "2 days"), (12.0, "12 days"), (1234.0, "1,234 days"),
])
def test_median_in_words(days, words):
    assert median_words(days) == words
