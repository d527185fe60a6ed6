"""A small server-rendered line chart (inline SVG) for an outcome metric.

No JavaScript, no library: the chart is decoration beside a data table that
carries the same figures for screen readers and copy-paste."""

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, PAD = 480, 200, 32


def metric_chart(metric):
    points = sorted(metric.points.all(), key=lambda p: p.date)
    if not points:
        return ""
    values = [float(p.value) for p in points] + [float(metric.target), float(metric.baseline)]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    first, last = points[0].date.toordinal(), max(points[-1].date.toordinal(), metric.target_date.toordinal())
    days = (last - first) or 1

    def x(date):
        return PAD + (date.toordinal() - first) / days * (WIDTH - 2 * PAD)

    def y(value):
        return HEIGHT - PAD - (float(value) - low) / span * (HEIGHT - 2 * PAD)

    line = " ".join(f"{x(p.date):.1f},{y(p.value):.1f}" for p in points)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3"><title>{}: {} {}</title></circle>',
        ((f"{x(p.date):.1f}", f"{y(p.value):.1f}", p.date.isoformat(), p.value, metric.unit) for p in points),
    )
    target_y = f"{y(metric.target):.1f}"
    return format_html(
        '<svg class="mc-chart" viewBox="0 0 {w} {h}" role="img" aria-hidden="true" focusable="false">'
        '<line class="mc-chart__axis" x1="{p}" y1="{b}" x2="{r}" y2="{b}"/>'
        '<line class="mc-chart__target" x1="{p}" y1="{ty}" x2="{r}" y2="{ty}"/>'
        '<text class="mc-chart__label" x="{r}" y="{tyl}" text-anchor="end">Target {target} {unit} by {td}</text>'
        '<polyline class="mc-chart__line" points="{line}"/>{dots}</svg>',
        w=WIDTH,
        h=HEIGHT,
        p=PAD,
        r=WIDTH - PAD,
        b=HEIGHT - PAD,
        ty=target_y,
        tyl=f"{float(target_y) - 4:.1f}",
        target=metric.target,
        unit=metric.unit,
        td=metric.target_date.year,
        line=line,
        dots=dots,
    )
