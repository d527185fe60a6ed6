"""inputs/: reading ids and `next` addresses people type, written once."""

import pytest
from django.test import RequestFactory

from inputs.ids import MAX_ID, parse_id
from inputs.redirects import safe_next


@pytest.mark.parametrize("raw, expected", [
    ("12", 12), ("0", 0), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("9" * 30, None), ("²", None),
    ("١٢", None), ("-1", None), (" 1", None), ("", None), (None, None), ("1e3", None),
])
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("target, expected", [
    ("/ideas/4/#comments", "/ideas/4/#comments"),
    ("/missions/?page=2", "/missions/?page=2"),
    ("https://testserver/ideas/4/", "/back/"),  # a full address, even our own: only paths
    ("//evil.example/", "/back/"), ("https://evil.example/", "/back/"), ("javascript:alert(1)", "/back/"),
    ("home", "/back/"),  # a word: redirect() would reverse it as a view name (a 500)
    ("²", "/back/"), ("/\\evil.example", "/back/"), ("/ideas/\x00", "/back/"), ("", "/back/"),
])
def test_safe_next_is_a_path_on_this_site_or_the_default(target, expected):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "/back/") == expected


def test_safe_next_reads_the_query_only_when_asked():
    request = RequestFactory().get("/x/", {"next": "/ideas/4/"})
    assert safe_next(request, "/back/") == "/back/"
    assert safe_next(request, "/back/", also_get=True) == "/ideas/4/"
