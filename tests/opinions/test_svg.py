"""The opinion map's geometry (opinions/svg.py): pure functions, no database."""

import math

import pytest

from opinions import svg


def test_convex_hull_keeps_the_corners_and_drops_inner_and_collinear_points():
    square = [(0, 0), (2, 0), (2, 2), (0, 2)]
    hull = svg.convex_hull(square + [(1, 1), (1, 0), (0, 1), (2, 2)])
    assert sorted(hull) == sorted((float(x), float(y)) for x, y in square)
    assert len(hull) == 4
    # Counter-clockwise (positive signed area).
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(hull, hull[1:] + hull[:1])) / 2
    assert area == pytest.approx(4.0)


def test_hull_of_one_or_two_points_is_them():
    assert svg.convex_hull([(1, 1), (1, 1)]) == [(1.0, 1.0)]
    assert svg.convex_hull([(3, 0), (0, 0)]) == [(0.0, 0.0), (3.0, 0.0)]
    assert svg.convex_hull([]) == []


def test_padded_hull_surrounds_every_point_even_a_single_one():
    for points in ([(5, 5)], [(0, 0), (10, 0)], [(0, 0), (10, 0), (5, 8), (5, 3)]):
        outline = svg.padded_hull(points, pad=4)
        assert len(outline) >= 3
        for px, py in points:
            # Inside: on the left of every counter-clockwise edge, at least a little.
            for (x1, y1), (x2, y2) in zip(outline, outline[1:] + outline[:1]):
                assert (x2 - x1) * (py - y1) - (y2 - y1) * (px - x1) > 0
        # No farther out than the pad.
        assert max(min(math.dist(o, p) for p in points) for o in outline) == pytest.approx(4.0)


def test_fit_keeps_the_aspect_and_puts_every_point_inside_the_margin():
    points = [(-1.0, -0.5), (3.0, 0.5), (1.0, 0.0)]
    frame = svg.fit(points, width=400, height=200, margin=20)
    drawn = [frame(x, y) for x, y in points]
    assert all(20 <= x <= 380 and 20 <= y <= 180 for x, y in drawn)
    # The wider axis fills its room; one scale for both axes; y points up.
    assert drawn[0][0] == 20 and drawn[1][0] == 380
    assert frame.scale == pytest.approx(90.0)
    assert drawn[1][1] < drawn[0][1]
    # Everyone at one point: centred, no division by zero.
    assert svg.fit([(2, 2), (2, 2)], 400, 200)(2, 2) == (200, 100)


def test_layout_draws_each_group_once_with_its_outline_and_marks_the_viewer():
    points = [{"x": 0.0, "y": 0.0, "group": 0}, {"x": 0.1, "y": 0.0, "group": 0},
              {"x": 0.1, "y": 0.0, "group": 0},  # same pixel: drawn once, still counted
              {"x": 5.0, "y": 1.0, "group": 1}]
    drawn = svg.layout(points, you={"x": 5.0, "y": 1.0, "group": 1, "in_model": True})
    assert [g.id for g in drawn.groups] == [0, 1]
    a, b = drawn.groups
    assert (a.n_points, b.n_points) == (3, 1) and drawn.n_points == 4
    assert a.markers.count("M") == 2 and b.markers.count("M") == 1
    assert a.label == "Group A" and b.label == "Group B"
    assert a.colour != b.colour and a.shape != b.shape
    assert a.outline and b.outline and a.label_at is not None
    assert drawn.you_group == 1
    frame = svg.fit([(p["x"], p["y"]) for p in points])
    assert drawn.you == frame(5.0, 1.0)


def test_points_without_a_group_are_grey_and_not_outlined():
    drawn = svg.layout([{"x": 0.0, "y": 0.0, "group": None}, {"x": 1.0, "y": 1.0, "group": None}])
    (only,) = drawn.groups
    assert only.id is None and only.outline == "" and only.colour == svg.NO_GROUP_COLOUR
    assert drawn.you is None


def test_every_colour_has_three_to_one_contrast_on_white_and_shapes_differ():
    for colour in (*svg.PALETTE, svg.NO_GROUP_COLOUR, svg.YOU_COLOUR):
        assert svg.contrast_ratio(colour) >= 3.0, colour
    assert svg.contrast_ratio("#ffffff") == pytest.approx(1.0)
    assert len(set(svg.SHAPES)) == len(svg.PALETTE) == len(set(svg.PALETTE))
    for shape in svg.SHAPES:
        assert svg.marker_path(10, 10, shape).startswith("M") and svg.marker_path(10, 10, shape).endswith("z")
