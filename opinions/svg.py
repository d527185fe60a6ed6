"""The opinion map drawn as SVG: pure functions from the stored points to
what the results page's template writes (opinions/views.py,
templates/opinions/_map.html). No Django, no I/O, so the geometry is tested
directly (tests/opinions/test_svg.py).

Why server-rendered and why this shape: the page must work with JavaScript
off, and a call can have 10,000 participants. So each group's points are one
<path> of small marker outlines (one element per group, not one per person),
points that land on the same pixel are drawn once, and each group is outlined
by the convex hull of its points padded by a few pixels (a hull of one or two
points is still a visible shape). Every group has its own colour *and* marker
shape, so the map does not rely on colour alone (WCAG 1.4.1); every colour has
at least 3:1 contrast on white (WCAG 1.4.11), checked in the tests."""

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT, MARGIN = 640, 400, 28
MARKER = 4.0  # marker half-size in px
HULL_PAD = 9.0  # how far the outline stands off its outermost points

# Colour and marker shape per group id (0.. up to 5 groups, opinions/groups.py
# max_groups=5); participants with no group (no groups yet) are grey circles.
PALETTE = ("#1d70b8", "#b1360f", "#00703c", "#6f3c97", "#85520b")
SHAPES = ("circle", "square", "triangle", "diamond", "cross")
NO_GROUP_COLOUR = "#505a5f"
YOU_COLOUR = "#0b0c0c"


def group_label(group_id):
    """ "Group A" for group 0: letters, since numbers read like ranks."""
    if group_id is None:
        return "No group"
    return f"Group {chr(ord('A') + group_id)}" if 0 <= group_id < 26 else f"Group {group_id + 1}"


def colour_of(group_id):
    return NO_GROUP_COLOUR if group_id is None else PALETTE[group_id % len(PALETTE)]


def shape_of(group_id):
    return "circle" if group_id is None else SHAPES[group_id % len(SHAPES)]


def _channel(c):
    c /= 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def contrast_ratio(hex_a, hex_b="#ffffff"):
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(h):
        r, g, b = (int(h[i:i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)

    hi, lo = sorted((luminance(hex_a), luminance(hex_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def convex_hull(points):
    """Convex hull of (x, y) points, counter-clockwise (y up), by Andrew's
    monotone chain; collinear points on an edge are dropped. Fewer than three
    distinct points come back as they are (deduplicated, sorted)."""
    pts = sorted({(float(x), float(y)) for x, y in points})
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def padded_hull(points, pad=HULL_PAD, sides=12):
    """The hull of the points grown by `pad` (each point replaced by a
    `sides`-gon of that radius): a closed outline around every point, even
    for one or two points."""
    if not points:
        return []
    ring = [(pad * math.cos(2 * math.pi * k / sides), pad * math.sin(2 * math.pi * k / sides)) for k in range(sides)]
    return convex_hull([(x + dx, y + dy) for x, y in convex_hull(points) for dx, dy in ring])


@dataclass(frozen=True)
class Frame:
    """Map coordinates to SVG pixels: one scale for both axes (the map's
    distances mean the same across and up), y flipped, centred."""

    scale: float
    cx: float
    cy: float
    width: int = WIDTH
    height: int = HEIGHT

    def __call__(self, x, y):
        return (round(self.width / 2 + (x - self.cx) * self.scale, 1),
                round(self.height / 2 - (y - self.cy) * self.scale, 1))


def fit(points, width=WIDTH, height=HEIGHT, margin=MARGIN):
    """The Frame that puts every point inside the box, `margin` px from its edges."""
    if not points:
        return Frame(1.0, 0.0, 0.0, width, height)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    room_x, room_y = width - 2 * margin, height - 2 * margin
    scales = [room / span for room, span in ((room_x, span_x), (room_y, span_y)) if span > 0]
    scale = min(scales) if scales else 1.0
    return Frame(scale, (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2, width, height)


def marker_path(x, y, shape, r=MARKER):
    """One marker's outline as SVG path commands (absolute move, then relative)."""
    if shape == "square":
        return f"M{x - r:g} {y - r:g}h{2 * r:g}v{2 * r:g}h{-2 * r:g}z"
    if shape == "triangle":
        return f"M{x:g} {y - r * 1.2:g}l{r * 1.1:g} {r * 2:g}h{-r * 2.2:g}z"
    if shape == "diamond":
        return f"M{x:g} {y - r * 1.3:g}l{r * 1.3:g} {r * 1.3:g}l{-r * 1.3:g} {r * 1.3:g}l{-r * 1.3:g} {-r * 1.3:g}z"
    if shape == "cross":
        t = r / 2.5
        return (f"M{x - t:g} {y - r:g}h{2 * t:g}v{r - t:g}h{r - t:g}v{2 * t:g}h{t - r:g}v{r - t:g}"
                f"h{-2 * t:g}v{t - r:g}h{t - r:g}v{-2 * t:g}h{r - t:g}z")
    # circle: two arcs
    return f"M{x - r:g} {y:g}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0z"


@dataclass(frozen=True)
class GroupShape:
    id: int | None
    label: str
    colour: str
    shape: str
    n_points: int  # participants drawn (before merging points on one pixel)
    markers: str  # SVG path data, one marker per distinct pixel
    outline: str  # SVG polygon points ("x,y x,y ..."), "" when there is no group
    label_at: tuple[float, float] | None = None


@dataclass(frozen=True)
class MapLayout:
    width: int
    height: int
    groups: list[GroupShape] = field(default_factory=list)
    you: tuple[float, float] | None = None
    you_group: int | None = None
    n_points: int = 0


def layout(points, you=None, width=WIDTH, height=HEIGHT, margin=MARGIN):
    """The drawing of a map: ``points`` are dicts {"x", "y", "group"} (as the
    selectors give them), ``you`` the viewer's own point or None. Groups in
    id order, participants without a group last; each with its markers, its
    padded hull (groups only) and where to write its label (above the hull)."""
    frame = fit([(p["x"], p["y"]) for p in points], width, height, margin)
    by_group = {}
    for p in points:
        by_group.setdefault(p["group"], []).append(frame(p["x"], p["y"]))
    shapes = []
    for gid in sorted(by_group, key=lambda g: (g is None, g if g is not None else 0)):
        pixels = by_group[gid]
        distinct = sorted(set(pixels))
        shape = shape_of(gid)
        outline, label_at = "", None
        if gid is not None:
            hull = padded_hull(distinct)
            outline = " ".join(f"{x:.1f},{y:.1f}" for x, y in hull)
            top = min(hull, key=lambda p: (p[1], p[0]))
            label_at = (round(min(max(top[0], margin), width - margin), 1), round(max(top[1] - 4, 12), 1))
        shapes.append(GroupShape(
            id=gid, label=group_label(gid), colour=colour_of(gid), shape=shape, n_points=len(pixels),
            markers="".join(marker_path(x, y, shape) for x, y in distinct), outline=outline, label_at=label_at,
        ))
    mine = frame(you["x"], you["y"]) if you else None
    return MapLayout(width, height, shapes, mine, you.get("group") if you else None, len(points))
