"""An outcome metric's series as an accessible, server-rendered SVG chart.

Pure: no database, no request, no JavaScript. `layout()` works out where
everything goes (scales, ticks, labels) as plain numbers and strings, so the
tests can check the geometry directly; `render()` turns a layout into SVG;
`metric_chart()` reads an OutcomeMetric and its (already loaded) points.

What the chart carries: a y axis with value ticks and the unit, an x axis
with dated ticks (months, quarters or years, whichever fits), the series as
a line with dots, the first and latest values and the target labelled, and
the baseline and target as dashed lines with labels. It is an image with a
title and a description (role="img", aria-labelledby); the data table beside
it on the page is its full text alternative. Colours are GOV.UK's and each
has a contrast of at least 4.5:1 on white, so text and lines stay readable.
"""

import hashlib
import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from live import fragments

from .formatting import MONTHS_SHORT, add_months, format_metric, format_number, format_series_date, is_month_series

WIDTH, HEIGHT = 640, 320
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 24, 36, 44
FONT_SIZE = 14
CHAR_WIDTH = 0.6 * FONT_SIZE  # a generous estimate for labels' boxes
LINE_HEIGHT = FONT_SIZE + 4

# GOV.UK colours; contrast on white in brackets.
TEXT = "#0b0c0c"  # (19.9:1)
SERIES = "#1d70b8"  # blue (5.2:1)
TARGET = "#00703c"  # green (5.9:1)
BASELINE = "#505a5f"  # dark grey (7.0:1)
GRID = "#b1b4b6"  # mid grey, for gridlines only (they carry no meaning)

MAX_X_TICKS = 7
MAX_Y_TICKS = 6
# Steps in months for the date axis, finest first.
MONTH_STEPS = (1, 3, 6, 12, 24, 60, 120)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the text's baseline
    text: str
    anchor: str  # start | middle | end
    role: str  # first | latest | target | baseline
    colour: str

    def box(self):
        """(left, top, right, bottom), estimated from the text's length."""
        width = len(self.text) * CHAR_WIDTH
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return (left, self.y - FONT_SIZE, left + width, self.y + 4)


@dataclass
class ChartLayout:
    title: str
    description: str
    unit: str
    plot: tuple  # (left, top, right, bottom)
    x_ticks: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)
    points: list = field(default_factory=list)  # [(x, y, date, value)]
    baseline_y: float | None = None
    target_y: float | None = None
    target_point: tuple | None = None  # (x, y) at the target date
    zero_y: float | None = None
    labels: list = field(default_factory=list)
    empty: bool = False


# Scales and ticks -----------------------------------------------------------


def linear_scale(domain_low, domain_high, range_low, range_high):
    """A function from the domain onto the range (which may run downwards,
    as SVG's y does). A zero-width domain maps to the middle of the range."""
    span = domain_high - domain_low
    if span == 0:
        middle = (range_low + range_high) / 2
        return lambda value: middle
    factor = (range_high - range_low) / span
    return lambda value: range_low + (float(value) - domain_low) * factor


def _nice_step(span, max_ticks):
    raw = span / max(1, max_ticks - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if span / step <= max_ticks - 1:
            return step
    return 10 * magnitude


def value_ticks(low, high, max_ticks=MAX_Y_TICKS):
    """Round values covering [low, high], at most `max_ticks` of them, evenly
    spaced by 1, 2, 2.5 or 5 times a power of ten. Returns (ticks, low, high)
    with the domain widened to the outer ticks."""
    low, high = float(low), float(high)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    while True:
        step = _nice_step(high - low, max_ticks)
        start = math.floor(low / step + 1e-9) * step
        stop = math.ceil(high / step - 1e-9) * step
        count = round((stop - start) / step) + 1
        if count <= max_ticks:
            break
        max_ticks -= 1  # the widened domain needed one more tick: coarser step
    ticks = [_clean(start + i * step) for i in range(count)]
    return ticks, ticks[0], ticks[-1]


def _clean(value):
    """Drop floating-point dust: 0.30000000000000004 → 0.3."""
    value = round(value, 10)
    return 0.0 if value == 0 else value


def month_step(start, end, max_ticks=MAX_X_TICKS):
    """The finest step in months (1, 3, 6, 12, 24...) that puts no more than
    `max_ticks` ticks between the two dates."""
    for step in MONTH_STEPS:
        if len(_month_ticks(start, end, step)) <= max_ticks:
            return step
    return MONTH_STEPS[-1]


def _month_ticks(start, end, step):
    """First days of months on the step's grid (January, April, July, October
    for quarters; January for years) from `start` to `end`, inclusive."""
    tick = add_months(start, 0)
    if tick < start:
        tick = add_months(start, 1)
    # Align to the grid: months counted from January of year 0.
    while ((tick.year * 12 + tick.month - 1) % step) != 0:
        tick = add_months(tick, 1)
    if step >= 12:
        while tick.year % (step // 12):
            tick = add_months(tick, 12)
    ticks = []
    while tick <= end:
        ticks.append(tick)
        tick = add_months(tick, step)
    return ticks


def date_ticks(start, end, max_ticks=MAX_X_TICKS):
    """Dated ticks for the axis: [(date, label)] and the step in months.
    Monthly and quarterly ticks read "Mar 2027"; yearly ones "2027"."""
    step = month_step(start, end, max_ticks)
    ticks = _month_ticks(start, end, step)
    if step >= 12:
        labels = [str(t.year) for t in ticks]
    else:
        labels = [f"{MONTHS_SHORT[t.month]} {t.year}" for t in ticks]
    return list(zip(ticks, labels)), step


# Layout ---------------------------------------------------------------------


def _overlaps(a, b, gap=2):
    return not (a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1])


def _inside(box, bounds):
    return box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2] and box[3] <= bounds[3]


def place_labels(wanted, bounds, obstacles=()):
    """Place each label at the first of its candidate positions that stays
    within `bounds` and overlaps nothing placed before it (nor any of the
    `obstacles` boxes). `wanted` is [(role, text, colour, candidates)] in
    priority order, candidates [(x, y, anchor)]; a label none of whose
    candidates fits takes its first (the table still carries the value)."""
    placed = []
    boxes = list(obstacles)
    for role, text, colour, candidates in wanted:
        options = [Label(x, y, text, anchor, role, colour) for x, y, anchor in candidates]
        chosen = next(
            (o for o in options if _inside(o.box(), bounds) and not any(_overlaps(o.box(), b) for b in boxes)),
            options[0],
        )
        placed.append(chosen)
        boxes.append(chosen.box())
    return placed


def _around(x, y, plot, neighbour_y=None):
    """Candidate positions for a point's label: on the side away from the
    line's next point (above when the line falls away), then the other side,
    then beside it; the anchor turns inwards near the plot's edges."""
    left, _, right, _ = plot
    anchor = "start" if x - left < 60 else "end" if right - x < 60 else "middle"
    above, below = (x, y - 10, anchor), (x, y + 10 + FONT_SIZE, anchor)
    first, second = (below, above) if neighbour_y is not None and neighbour_y < y else (above, below)
    return [first, second, (x + 8, y + FONT_SIZE / 2 - 2, "start"), (x - 8, y + FONT_SIZE / 2 - 2, "end")]


def layout(points, *, name, unit="", baseline=None, baseline_date=None, target=None, target_date=None,
           width=WIDTH, height=HEIGHT):
    """Where everything goes. `points` are (date, value) pairs in any order;
    values may be Decimal, int or float, and negative."""
    points = sorted((d, v) for d, v in points if d is not None and v is not None)
    plot = (MARGIN_LEFT, MARGIN_TOP, width - MARGIN_RIGHT, height - MARGIN_BOTTOM)
    left, top, right, bottom = plot
    dates = [d for d, _ in points] + [d for d in (baseline_date, target_date) if d]
    monthly = is_month_series(dates)
    when = lambda d: format_series_date(d, monthly)  # noqa: E731
    fmt = lambda v: format_metric(v, unit)  # noqa: E731
    short = lambda v: format_metric(v, unit, short=True)  # noqa: E731  (the axis names the unit)

    title = f"{name}: chart"
    if not points:
        return ChartLayout(
            title=title,
            description=f"No figures have been published for {name} yet.",
            unit=unit,
            plot=plot,
            empty=True,
        )

    # x: from the earliest to the latest date we know of, padded when they are one.
    first_day, last_day = min(dates), max(dates)
    if first_day == last_day:
        first_day, last_day = first_day - timedelta(days=183), last_day + timedelta(days=183)
    ticks, _ = date_ticks(first_day, last_day)
    x = linear_scale(first_day.toordinal(), last_day.toordinal(), left, right)

    # y: every value, the baseline and the target, widened to round ticks.
    values = [float(v) for _, v in points] + [float(v) for v in (baseline, target) if v is not None]
    y_ticks, low, high = value_ticks(min(values), max(values))
    y = linear_scale(low, high, bottom, top)

    layout_ = ChartLayout(
        title=title,
        description="",
        unit=unit,
        plot=plot,
        x_ticks=[Tick(round(x(d.toordinal()), 1), label) for d, label in ticks],
        y_ticks=[Tick(round(y(v), 1), format_metric(v, unit, short=True)) for v in y_ticks],
        points=[(round(x(d.toordinal()), 1), round(y(v), 1), d, v) for d, v in points],
        zero_y=round(y(0), 1) if low < 0 < high else None,
    )
    if baseline is not None:
        layout_.baseline_y = round(y(baseline), 1)
    if target is not None:
        layout_.target_y = round(y(target), 1)
        if target_date:
            layout_.target_point = (round(x(target_date.toordinal()), 1), layout_.target_y)

    # Labels, most important first: the latest value, the target, the first
    # value, the baseline. Each avoids the dots and the labels before it.
    (fx, fy, fd, fv), (lx, ly, ld, lv) = layout_.points[0], layout_.points[-1]
    dots = [(px - 4, py - 4, px + 4, py + 4) for px, py, _, _ in layout_.points]
    previous_y = layout_.points[-2][1] if len(layout_.points) > 1 else None
    wanted = [("latest", short(lv), SERIES, _around(lx, ly, plot, previous_y))]
    if target is not None:
        tx = layout_.target_point[0] if layout_.target_point else right
        if layout_.target_point:  # the diamond at the target date
            dots.append((tx - 8, layout_.target_y - 8, tx + 8, layout_.target_y + 8))
        by = f" by {when(target_date)}" if target_date else ""
        text = f"Target {short(target)}{by}"
        wanted.append(("target", text, TARGET, [
            (min(right, tx - 12), layout_.target_y - 8, "end"),
            (min(right, tx - 12), layout_.target_y + 8 + FONT_SIZE, "end"),
            (right, layout_.target_y - 10, "end"),
            (tx - 10, layout_.target_y - 6, "end"),
            (left + 4, layout_.target_y - 6, "start"),
            (left + 4, layout_.target_y + 6 + FONT_SIZE, "start"),
        ]))
    if len(layout_.points) > 1:
        wanted.append(("first", short(fv), SERIES, _around(fx, fy, plot, layout_.points[1][1])))
    if baseline is not None:
        text = f"Baseline {short(baseline)}" + (f" ({when(baseline_date)})" if baseline_date else "")
        wanted.append(("baseline", text, BASELINE, [
            (left + 4, layout_.baseline_y - 6, "start"),
            (left + 4, layout_.baseline_y + 6 + FONT_SIZE, "start"),
            (right, layout_.baseline_y - 6, "end"),
            (right, layout_.baseline_y + 6 + FONT_SIZE, "end"),
            ((left + right) / 2, layout_.baseline_y - 6, "middle"),
            ((left + right) / 2, layout_.baseline_y + 6 + FONT_SIZE, "middle"),
        ]))
    layout_.labels = place_labels(wanted, (0, 0, width, bottom), obstacles=dots)

    # The words a screen reader says for the image.
    parts = [f"Line chart of {name}" + (f", in {unit}" if unit and not unit.startswith("%") else "") +
             f", from {when(fd)} to {when(ld)}."]
    if len(points) > 1:
        parts.append(f"First figure {fmt(fv)} in {when(fd)}; latest {fmt(lv)} in {when(ld)}.")
    else:
        parts.append(f"One figure so far: {fmt(lv)} in {when(ld)}.")
    if baseline is not None:
        parts.append(f"Baseline {fmt(baseline)}" + (f" in {when(baseline_date)}." if baseline_date else "."))
    if target is not None:
        parts.append(f"Target {fmt(target)}" + (f" by {when(target_date)}." if target_date else "."))
    parts.append("Every figure is in the table that follows.")
    layout_.description = " ".join(parts)
    return layout_


# SVG ------------------------------------------------------------------------


def _n(value):
    """Coordinates with one decimal place at most: 12.0 → "12"."""
    return format_number(value, max_places=1).replace(",", "")


def render(chart, chart_id, width=WIDTH, height=HEIGHT):
    """The layout as an inline SVG string (safe HTML)."""
    if chart.empty:
        return ""
    left, top, right, bottom = chart.plot
    parts = []
    # Gridlines and value ticks.
    for t in chart.y_ticks:
        parts.append(format_html(
            '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{g}" stroke-width="1"/>'
            '<text class="mc-chart__tick" x="{tx}" y="{ty}" text-anchor="end" fill="{c}">{label}</text>',
            l=_n(left), r=_n(right), y=_n(t.position), g=GRID, tx=_n(left - 8), ty=_n(t.position + 5), c=TEXT,
            label=t.label,
        ))
    if chart.zero_y is not None:
        parts.append(format_html('<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="1.5"/>',
                                 _n(left), _n(right), BASELINE, y=_n(chart.zero_y)))
    # Axes and date ticks.
    parts.append(format_html(
        '<line class="mc-chart__axis" x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{c}" stroke-width="1.5"/>'
        '<line class="mc-chart__axis" x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="{c}" stroke-width="1.5"/>',
        l=_n(left), r=_n(right), t=_n(top), b=_n(bottom), c=BASELINE,
    ))
    if chart.unit and chart.unit != "%":  # the ticks already say "%"
        parts.append(format_html('<text class="mc-chart__unit" x="{}" y="{}" fill="{}">{}</text>',
                                 _n(left - 8 if len(chart.unit) > 6 else left), _n(top - 14), TEXT, chart.unit))
    for t in chart.x_ticks:
        parts.append(format_html(
            '<line x1="{x}" y1="{b}" x2="{x}" y2="{b6}" stroke="{c}" stroke-width="1.5"/>'
            '<text class="mc-chart__tick" x="{x}" y="{ty}" text-anchor="middle" fill="{tc}">{label}</text>',
            x=_n(t.position), b=_n(bottom), b6=_n(bottom + 6), c=BASELINE, ty=_n(bottom + 22), tc=TEXT, label=t.label,
        ))
    # Baseline and target: dashed, in their own colours.
    if chart.baseline_y is not None:
        parts.append(format_html(
            '<line class="mc-chart__baseline" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="2" '
            'stroke-dasharray="2 4"/>', _n(left), _n(right), BASELINE, y=_n(chart.baseline_y)))
    if chart.target_y is not None:
        parts.append(format_html(
            '<line class="mc-chart__target" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="2" '
            'stroke-dasharray="8 4"/>', _n(left), _n(right), TARGET, y=_n(chart.target_y)))
        if chart.target_point:
            tx, ty = chart.target_point
            parts.append(format_html(
                '<path class="mc-chart__target-mark" d="M{} {}l7 7l-7 7l-7 -7z" fill="#ffffff" stroke="{}" '
                'stroke-width="2"/>', _n(tx), _n(ty - 7), TARGET))
    # The series.
    parts.append(format_html(
        '<polyline class="mc-chart__line" points="{}" fill="none" stroke="{}" stroke-width="3" '
        'stroke-linejoin="round"/>',
        " ".join(f"{_n(px)},{_n(py)}" for px, py, _, _ in chart.points), SERIES,
    ))
    parts.append(format_html_join("", '<circle cx="{}" cy="{}" r="4" fill="{}"/>',
                                  ((_n(px), _n(py), SERIES) for px, py, _, _ in chart.points)))
    # Labels, with a white halo so lines behind them never cut the text.
    parts.append(format_html_join("", (
        '<text class="mc-chart__label mc-chart__label--{}" x="{}" y="{}" text-anchor="{}" fill="{}" '
        'stroke="#ffffff" stroke-width="4" paint-order="stroke" font-weight="bold">{}</text>'
    ), ((lb.role, _n(lb.x), _n(lb.y), lb.anchor, lb.colour, lb.text) for lb in chart.labels)))
    return format_html(
        '<svg class="mc-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false" font-family="inherit" font-size="{fs}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=width, h=height, id=chart_id, fs=FONT_SIZE, title=chart.title, desc=chart.description,
        body=format_html_join("", "{}", ((p,) for p in parts)),
    )


def metric_layout(metric, points=None):
    points = metric.points.all() if points is None else points
    return layout(
        [(p.date, p.value) for p in points],
        name=metric.name,
        unit=metric.unit,
        baseline=metric.baseline,
        baseline_date=metric.baseline_date,
        target=metric.target,
        target_date=metric.target_date,
    )


def metric_chart(metric, points=None, chart_id=None):
    """The chart for an OutcomeMetric; `points` as already loaded (sorted or
    not), else read from the prefetched relation."""
    chart_id = chart_id or f"metric-chart-{metric.pk or id(metric)}"
    return render(metric_layout(metric, points), chart_id)


def _drawn_from(obj):
    """Everything a chart could read of a metric, measure or point: a model's
    own column values, or a plain object's attributes."""
    meta = getattr(obj, "_meta", None)
    if meta is not None:
        return tuple((f.attname, getattr(obj, f.attname, None)) for f in meta.concrete_fields)
    return tuple(sorted((k, v) for k, v in vars(obj).items() if not k.startswith("_")))


def shared_metric_chart(metric, points=None, chart_id=None):
    """`metric_chart`, drawn once per change for everyone: kept in the shared
    cache (live/fragments.py) under a digest of everything it is drawn from,
    so a new figure, an edit or a draft being previewed draws its own, and
    signed-in views of a mission page (five charts, about 0.75 ms each) stop
    drawing them again. Off with the page cache."""
    rows = list(points) if points is not None else list(metric.points.all())
    chart_id = chart_id or f"metric-chart-{metric.pk or id(metric)}"  # as metric_chart names it: ids stay unique
    digest = hashlib.sha256(repr((_drawn_from(metric), [_drawn_from(p) for p in rows], chart_id)).encode()).hexdigest()
    html, _data, _numbers, _hit = fragments.shared(
        "metric-chart", digest, [], lambda: (str(metric_chart(metric, rows, chart_id)), None))
    return mark_safe(html)  # noqa: S308 (drawn by format_html: every value escaped there)
