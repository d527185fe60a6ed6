"""prizes/scoring.py: weighted totals on the published scales, outliers and
disagreements flagged, the chair's moderated score standing, the threshold,
and ties sharing a rank."""

import pytest

from prizes.scoring import Criterion, outliers, ranked, score_error, summarise, total

CRITERIA = [Criterion("impact", weight=3), Criterion("feasibility", weight=2), Criterion("team", weight=1, low=1, high=5)]


def test_a_total_is_the_weighted_share_of_the_maximum():
    assert total({"impact": 10, "feasibility": 10, "team": 5}, CRITERIA) == 100.0
    assert total({"impact": 0, "feasibility": 0, "team": 1}, CRITERIA) == 0.0
    # 3*0.5 + 2*1.0 + 1*0.5 = 4 of 6
    assert total({"impact": 5, "feasibility": 10, "team": 3}, CRITERIA) == pytest.approx(66.67)


@pytest.mark.parametrize("value", [-1, 11, 2.5, "7", None, True])
def test_a_score_off_the_scale_is_refused_with_the_scale(value):
    assert score_error(CRITERIA[0], value) == "Give a whole number from 0 to 10."
    with pytest.raises(ValueError, match="impact"):
        total({"impact": value, "feasibility": 5, "team": 3}, CRITERIA)


def test_every_criterion_must_be_scored():
    with pytest.raises(ValueError, match="team"):
        total({"impact": 5, "feasibility": 5}, CRITERIA)
    assert score_error(CRITERIA[2], 0) == "Give a whole number from 1 to 5."


def test_the_assessor_far_from_the_others_is_an_outlier_and_the_spread_a_disagreement():
    high = {"impact": 9, "feasibility": 9, "team": 5}
    low = {"impact": 2, "feasibility": 3, "team": 1}
    row = summarise("a", {"ann": high, "bo": high, "cy": low}, CRITERIA, assigned=3)
    assert row.outliers == ("cy",) and row.disagreement and row.complete
    assert row.totals["ann"] == pytest.approx(91.67) and row.mean == pytest.approx(sum(row.totals.values()) / 3, abs=0.01)
    close = summarise("b", {"ann": high, "bo": high, "cy": {"impact": 8, "feasibility": 9, "team": 5}}, CRITERIA, 3)
    assert close.outliers == () and not close.disagreement
    assert outliers({"ann": 90.0, "bo": 10.0}) == ()  # two: neither is the odd one out


def test_the_chairs_moderated_score_stands_and_the_threshold_applies_to_it():
    sheets = {"ann": {"impact": 6, "feasibility": 7, "team": 4}, "bo": {"impact": 7, "feasibility": 6, "team": 4}}
    row = summarise("a", sheets, CRITERIA, assigned=3, threshold=70)
    assert not row.complete and row.outstanding == 1 and row.passes is False
    moderated = summarise("a", sheets, CRITERIA, assigned=3, moderated=72.5, threshold=70)
    assert moderated.final == 72.5 and moderated.passes is True and moderated.mean == row.mean


def test_the_sheet_ranks_by_final_score_ties_share_a_rank_and_unscored_come_last():
    rows = [summarise(name, {"ann": {"impact": i, "feasibility": i, "team": 3}}, CRITERIA, 1)
            for name, i in (("low", 2), ("top", 9), ("tie-a", 6), ("tie-b", 6))]
    rows.append(summarise("none", {}, CRITERIA, 3))
    order = [(rank, s.application) for rank, s in ranked(rows)]
    assert order == [(1, "top"), (2, "tie-a"), (2, "tie-b"), (4, "low")]
