"""The phase clock at its boundaries: each phase includes its start instant
and excludes its end instant, on the server's clock, in any time zone."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from consult import phases

UTC = ZoneInfo("UTC")
OPENS = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def make_call():
    return SimpleNamespace(
        submission_opens=OPENS,
        submission_closes=OPENS + timedelta(days=30),
        review_closes=OPENS + timedelta(days=60),
        shortlist_closes=OPENS + timedelta(days=90),
    )


us = timedelta(microseconds=1)


@pytest.mark.parametrize(
    "moment, expected",
    [
        (OPENS - us, phases.UPCOMING),
        (OPENS, phases.SUBMISSION),
        (OPENS + timedelta(days=30) - us, phases.SUBMISSION),
        (OPENS + timedelta(days=30), phases.REVIEW),
        (OPENS + timedelta(days=60) - us, phases.REVIEW),
        (OPENS + timedelta(days=60), phases.SHORTLIST),
        (OPENS + timedelta(days=90) - us, phases.SHORTLIST),
        (OPENS + timedelta(days=90), phases.RESULTS),
        (OPENS + timedelta(days=900), phases.RESULTS),
    ],
)
def test_phase_boundaries(moment, expected):
    assert phases.current_phase(make_call(), moment) == expected


def test_boundaries_hold_across_time_zones():
    call = make_call()
    tokyo = ZoneInfo("Asia/Tokyo")
    assert phases.current_phase(call, OPENS.astimezone(tokyo)) == phases.SUBMISSION
    assert phases.current_phase(call, (OPENS - us).astimezone(tokyo)) == phases.UPCOMING


def test_submission_before_opening_says_when_it_opens(settings):
    settings.TIME_ZONE = "Europe/London"
    with pytest.raises(phases.PhaseClosed) as exc:
        phases.check(make_call(), "submit", now=OPENS - timedelta(hours=1))
    assert exc.value.message == "Submissions for this call open on 1 March 2027 at 9am."


def test_submission_after_closing_says_when_it_closed(settings):
    settings.TIME_ZONE = "Europe/London"
    with pytest.raises(phases.PhaseClosed) as exc:
        phases.check(make_call(), "submit", now=OPENS + timedelta(days=30))
    # 31 March 2027 is after the clocks change: the message uses local summer time.
    assert exc.value.message == "Submissions for this call closed on 31 March 2027 at 10am."


def test_voting_stays_open_through_review_and_closes_with_it():
    call = make_call()
    phases.check(call, "vote", now=OPENS + timedelta(days=45))
    with pytest.raises(phases.PhaseClosed) as exc:
        phases.check(call, "vote", now=OPENS + timedelta(days=60))
    assert "Voting for this call closed" in exc.value.message


def test_edit_closes_when_review_starts():
    call = make_call()
    assert phases.is_allowed(call, "edit", now=OPENS + timedelta(days=30) - us)
    assert not phases.is_allowed(call, "edit", now=OPENS + timedelta(days=30))


def test_time_left_counts_down_to_phase_end():
    call = make_call()
    assert phases.time_left(call, now=OPENS) == 30 * 24 * 3600
    assert phases.time_left(call, now=OPENS + timedelta(days=95)) is None
