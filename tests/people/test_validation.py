"""The pure checks of names, organisation details and registered numbers."""

import pytest

from people import validation
from inputs.refusals import Refused


@pytest.mark.parametrize("raw, clean", [
    ("  Alex   Citizen ", "Alex Citizen"),
    ("Siân O’Brien-Jones", "Siân O’Brien-Jones"),
    ("李小龍", "李小龍"),
])
def test_display_names_are_tidied(raw, clean):
    assert validation.display_name(raw) == clean


@pytest.mark.parametrize("raw, words", [
    ("", "Enter a display name"),
    ("   ", "Enter a display name"),
    ("A", "at least 2"),
    ("x" * 61, "60 characters or fewer"),
    ("Visit www.cheap-pills.ru", "web or email address"),
    ("me@example.org", "web or email address"),
    ("https://spam", "web or email address"),
    ("Zero\u200bwidth", "letters, numbers"),
    ("Bell\x07", "letters, numbers"),
])
def test_bad_display_names_say_what_is_wrong(raw, words):
    with pytest.raises(Refused) as exc:
        validation.display_name(raw)
    assert words in exc.value.message
    assert exc.value.field == "display_name"


@pytest.mark.parametrize("kind, raw, clean", [
    ("company", "01234567", "01234567"),
    ("company", " sc 123456 ", "SC123456"),
    ("charity", "1123456", "1123456"),
    ("charity", "1123456-1", "1123456-1"),
    ("charity", "sc012345", "SC012345"),
    ("charity", "NIC100002", "NIC100002"),
    ("", "", ""),
])
def test_registered_numbers_in_the_registers_formats(kind, raw, clean):
    assert validation.registered_number(kind, raw) == (kind, clean)


@pytest.mark.parametrize("kind, raw, field, words", [
    ("company", "1234", "registered_number", "Companies House number in the correct format"),
    ("company", "ABCDEFGH", "registered_number", "Companies House number"),
    ("charity", "12", "registered_number", "charity number in the correct format"),
    ("company", "", "registered_number", "Enter the number"),
    ("", "01234567", "number_kind", "Companies House or a charity number"),
    ("vat", "01234567", "number_kind", "Companies House or a charity number"),
])
def test_bad_registered_numbers(kind, raw, field, words):
    with pytest.raises(Refused) as exc:
        validation.registered_number(kind, raw)
    assert exc.value.field == field and words in exc.value.message


@pytest.mark.parametrize("raw, ok", [
    ("Name@Example.ORG", "Name@example.org"),
    ("not-an-email", None),
    ("a@b", None),
    ("", None),
    ("x" * 250 + "@example.org", None),
])
def test_invitation_emails(raw, ok):
    if ok:
        assert validation.email(raw) == ok
    else:
        with pytest.raises(Refused):
            validation.email(raw)
