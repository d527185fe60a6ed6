"""The metric chart's layout, tested as geometry: no database, no browser."""

import re
from datetime import date
from decimal import Decimal

import pytest

from consult import charts
from consult.charts import date_ticks, layout, linear_scale, month_step, place_labels, render, value_ticks

POLICE = [
    (date(2023, 3, 31), Decimal("17050.00")),
    (date(2024, 3, 31), Decimal("16420.00")),
    (date(2025, 3, 31), Decimal("16880.00")),
    (date(2025, 9, 30), Decimal("17950.00")),
    (date(2026, 3, 31), Decimal("19340.00")),
]


def police(**overrides):
    points = overrides.pop("points", POLICE)
    kwargs = dict(name="Police officers in neighbourhood teams", unit="officers (FTE)",
                  baseline=Decimal("17050"), baseline_date=date(2023, 3, 31),
                  target=Decimal("30050"), target_date=date(2029, 3, 31))
    kwargs.update(overrides)
    return layout(points, **kwargs)


def inside_plot(chart, y):
    _, top, _, bottom = chart.plot
    return top - 0.05 <= y <= bottom + 0.05


# Scales ---------------------------------------------------------------------


def test_linear_scale_maps_ends_and_runs_downwards_for_svg_y():
    y = linear_scale(0, 100, 280, 40)
    assert y(0) == 280 and y(100) == 40 and y(50) == 160


def test_linear_scale_of_a_single_value_is_the_middle():
    assert linear_scale(5, 5, 0, 100)(5) == 50


# Value ticks ----------------------------------------------------------------


@pytest.mark.parametrize(
    "low, high, expected",
    [
        (16420, 30050, [15000, 20000, 25000, 30000, 35000]),
        (0, 100, [0, 20, 40, 60, 80, 100]),
        (-1.1, 2.4, [-2, -1, 0, 1, 2, 3]),
        (3.2, 3.23, None),  # a narrow index range: only the rules below
    ],
)
def test_value_ticks_are_round_evenly_spaced_and_cover_the_data(low, high, expected):
    ticks, lo, hi = value_ticks(low, high)
    if expected is not None:
        assert ticks == expected
    assert lo <= low and hi >= high
    assert 2 <= len(ticks) <= charts.MAX_Y_TICKS
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1
    mantissa = float(f"{steps.pop():e}".split("e")[0])
    assert mantissa in (1, 2, 2.5, 5)


def test_value_ticks_of_one_value_pad_around_it():
    ticks, lo, hi = value_ticks(41, 41)
    assert lo < 41 < hi


# Date ticks -----------------------------------------------------------------


def test_a_year_of_figures_has_quarterly_ticks():
    ticks, step = date_ticks(date(2025, 1, 1), date(2025, 12, 31))
    assert step == 3
    assert [label for _, label in ticks] == ["Jan 2025", "Apr 2025", "Jul 2025", "Oct 2025"]


def test_a_few_months_have_monthly_ticks():
    ticks, step = date_ticks(date(2026, 1, 15), date(2026, 5, 20))
    assert step == 1
    assert [label for _, label in ticks] == ["Feb 2026", "Mar 2026", "Apr 2026", "May 2026"]


def test_several_years_have_yearly_ticks_on_1_january():
    ticks, step = date_ticks(date(2023, 3, 31), date(2029, 3, 31))
    assert step == 12
    assert [label for _, label in ticks] == ["2024", "2025", "2026", "2027", "2028", "2029"]
    assert all(d.month == 1 and d.day == 1 for d, _ in ticks)


def test_a_long_span_takes_every_other_year_and_stays_within_the_limit():
    ticks, step = date_ticks(date(2022, 3, 31), date(2034, 3, 31))
    assert step == 24
    assert [label for _, label in ticks] == ["2024", "2026", "2028", "2030", "2032", "2034"]


@pytest.mark.parametrize("months", [1, 5, 13, 30, 80, 200, 600])
def test_never_more_ticks_than_fit(months):
    start = date(2020, 1, 1)
    end = date(2020 + months // 12, months % 12 + 1, 1)
    assert len(date_ticks(start, end)[0]) <= charts.MAX_X_TICKS
    assert month_step(start, end) in charts.MONTH_STEPS


# Layout ---------------------------------------------------------------------


def test_points_scale_into_the_plot_left_to_right_and_higher_values_higher():
    chart = police()
    left, top, right, bottom = chart.plot
    xs = [p[0] for p in chart.points]
    assert xs == sorted(xs) and xs[0] == left  # the baseline date is the first point's
    assert all(inside_plot(chart, p[1]) for p in chart.points)
    by_value = sorted(chart.points, key=lambda p: p[3])
    assert [p[1] for p in by_value] == sorted((p[1] for p in chart.points), reverse=True)


def test_target_outside_the_data_range_is_still_on_the_chart():
    chart = police()
    assert inside_plot(chart, chart.target_y)
    assert chart.target_y < min(p[1] for p in chart.points)  # above every figure
    assert chart.target_point == (chart.plot[2], chart.target_y)  # the target date is the right edge
    assert chart.x_ticks[-1].label == "2029"


def test_labels_first_latest_target_and_baseline_fit_and_do_not_overlap():
    chart = police()
    by_role = {label.role: label for label in chart.labels}
    assert by_role["latest"].text == "19,340"
    assert by_role["first"].text == "17,050"
    assert by_role["target"].text == "Target 30,050 by March 2029"
    assert by_role["baseline"].text == "Baseline 17,050 (March 2023)"
    boxes = [label.box() for label in chart.labels]
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= charts.WIDTH and a[1] >= 0, chart.labels[i]
        for b in boxes[i + 1:]:
            assert not charts._overlaps(a, b, gap=0), (a, b)


def test_value_labels_sit_next_to_their_points():
    chart = police()
    latest = next(label for label in chart.labels if label.role == "latest")
    x, y = chart.points[-1][:2]
    assert abs(latest.x - x) < 10 and abs(latest.y - y) < 30


def test_place_labels_moves_a_label_that_would_collide():
    wanted = [
        ("a", "First label", "#000", [(100, 100, "start")]),
        ("b", "Second", "#000", [(100, 100, "start"), (100, 140, "start")]),
    ]
    a, b = place_labels(wanted, (0, 0, 640, 320))
    assert (a.x, a.y) == (100, 100) and (b.x, b.y) == (100, 140)


def test_place_labels_keeps_labels_within_bounds():
    wanted = [("a", "Near the edge", "#000", [(630, 100, "start"), (630, 100, "end")])]
    (a,) = place_labels(wanted, (0, 0, 640, 320))
    assert a.anchor == "end"


def test_negative_values_get_a_zero_line_and_signed_labels():
    points = [(date(2022, 12, 31), Decimal("-1.10")), (date(2023, 12, 31), Decimal("0.60")),
              (date(2024, 12, 31), Decimal("2.40")), (date(2025, 12, 31), Decimal("0.90"))]
    chart = layout(points, name="Income growth", unit="%", baseline=Decimal("-1.1"),
                   baseline_date=date(2022, 12, 31), target=Decimal("1.5"), target_date=date(2029, 12, 31))
    assert [t.label for t in chart.y_ticks] == ["-2%", "-1%", "0%", "1%", "2%", "3%"]
    assert chart.zero_y is not None and inside_plot(chart, chart.zero_y)
    assert chart.points[0][1] > chart.zero_y  # below zero is lower on the page
    assert {label.role: label.text for label in chart.labels}["first"] == "-1.1%"


def test_a_single_point_is_centred_in_time_and_labelled_once():
    chart = layout([(date(2026, 3, 31), Decimal("41"))], name="Share", unit="%")
    assert len(chart.points) == 1
    left, _, right, _ = chart.plot
    assert chart.points[0][0] == pytest.approx((left + right) / 2, abs=1)
    assert [label.role for label in chart.labels] == ["latest"]
    assert chart.labels[0].text == "41%"
    assert "One figure so far: 41% in March 2026." in chart.description
    assert chart.x_ticks  # still dated


def test_an_empty_series_draws_nothing_and_says_so():
    chart = layout([], name="Share", unit="%", target=Decimal("50"), target_date=date(2030, 1, 1))
    assert chart.empty and chart.points == [] and chart.labels == []
    assert "No figures" in chart.description
    assert render(chart, "c") == ""


def test_description_reads_the_chart_in_words():
    chart = police()
    assert chart.description == (
        "Line chart of Police officers in neighbourhood teams, in officers (FTE), from March 2023 to March 2026. "
        "First figure 17,050 officers (FTE) in March 2023; latest 19,340 officers (FTE) in March 2026. "
        "Baseline 17,050 officers (FTE) in March 2023. Target 30,050 officers (FTE) by March 2029. "
        "Every figure is in the table that follows."
    )


def test_series_on_odd_days_are_dated_in_full():
    points = [(date(2026, 3, 4), Decimal("1")), (date(2026, 6, 17), Decimal("2"))]
    chart = layout(points, name="Days", unit="days", target=Decimal("3"), target_date=date(2026, 9, 9))
    assert "from 4 March 2026 to 17 June 2026" in chart.description
    assert {label.role: label.text for label in chart.labels}["target"] == "Target 3 by 9 September 2026"


# SVG ------------------------------------------------------------------------


def test_svg_is_an_image_with_a_title_and_description():
    svg = str(render(police(), "metric-chart-7"))
    assert svg.startswith('<svg class="mc-chart" ')
    assert 'role="img"' in svg and 'aria-labelledby="metric-chart-7-title metric-chart-7-desc"' in svg
    assert '<title id="metric-chart-7-title">Police officers in neighbourhood teams: chart</title>' in svg
    assert '<desc id="metric-chart-7-desc">Line chart of' in svg
    assert "<script" not in svg


def test_svg_has_axes_ticks_dashed_baseline_and_target_and_labels():
    svg = str(render(police(), "c"))
    assert svg.count('class="mc-chart__axis"') == 2
    assert re.search(r'class="mc-chart__target"[^>]*stroke-dasharray', svg)
    assert re.search(r'class="mc-chart__baseline"[^>]*stroke-dasharray', svg)
    for text in ("2024", "2029", "15,000", "30,000", "19,340", "Target 30,050 by March 2029", "officers (FTE)"):
        assert f">{text}</text>" in svg, text


def test_svg_escapes_names_and_units():
    chart = layout([(date(2026, 1, 1), Decimal("1"))], name="<script>x</script>", unit="<b>")
    svg = str(render(chart, "c"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg


def contrast(hex_colour, background="#ffffff"):
    def luminance(h):
        rgb = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((luminance(hex_colour), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("colour", [charts.TEXT, charts.SERIES, charts.TARGET, charts.BASELINE])
def test_colours_that_carry_meaning_have_at_least_4_5_to_1_contrast(colour):
    assert contrast(colour) >= 4.5
