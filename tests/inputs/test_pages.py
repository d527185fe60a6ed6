"""inputs/pages.py: the page number typed in `?page=`, read once for the
ledger, the team's awaiting list and search."""

import pytest

from inputs.pages import MAX_PAGE_DIGITS, parse_page


@pytest.mark.parametrize("raw, expected", [
    ("1", 1), ("2", 2), ("007", 7), (" 3 ", 3), ("9" * MAX_PAGE_DIGITS, int("9" * MAX_PAGE_DIGITS)),
    (None, 1), ("", 1),  # nothing typed: the first page
])
def test_a_whole_number_from_one_is_that_page(raw, expected):
    assert parse_page(raw) == expected


@pytest.mark.parametrize("raw", [
    "abc", "-1", "0", "00", "²", "١٢", "1e3", "+1", "1.5", "   ", "9" * 30, "1" * (MAX_PAGE_DIGITS + 1), "2\x00",
])
def test_anything_else_is_refused_for_the_caller_to_answer(raw):
    assert parse_page(raw) is None
