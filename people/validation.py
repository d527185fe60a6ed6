"""Pure checks of what people type about themselves and their organisations:
no I/O, tested directly. Each returns the cleaned value or raises
`Refused` with the sentence to show beside the field."""

import re
import unicodedata

from inputs.refusals import Refused

from .choices import NumberKind

NAME_MIN = 2
NAME_MAX = 60
ORG_NAME_MAX = 160
EMAIL_MAX = 254

# Companies House: 8 digits, or two letters and 6 digits (SC, NI, OC, SO, ...).
COMPANY_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6})$")
# Charity Commission (England and Wales): 6 or 7 digits, an optional -N for a
# linked charity; OSCR (Scotland): SC and 6 digits; CCNI: NIC and 6 digits, or 6 digits.
CHARITY_NUMBER = re.compile(r"^(?:\d{6,7}(?:-\d{1,2})?|SC\d{6}|NIC\d{6})$")
# Something that reads as a link or an address in a name invites spam.
LOOKS_LIKE_LINK = re.compile(r"(https?:|www\.|\.(?:com|net|org|uk|io|ru|xyz)\b|@)", re.IGNORECASE)


def _plain(value):
    value = unicodedata.normalize("NFC", value or "")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in value):
        return None
    return " ".join(value.split())


def display_name(value, field="display_name"):
    name = _plain(value)
    if name is None:
        raise Refused("Your display name can only contain letters, numbers, spaces and punctuation.", field=field)
    if not name:
        raise Refused("Enter a display name.", field=field, code="required")
    if len(name) < NAME_MIN:
        raise Refused(f"Your display name must be at least {NAME_MIN} characters.", field=field)
    if len(name) > NAME_MAX:
        raise Refused(f"Your display name must be {NAME_MAX} characters or fewer.", field=field)
    if LOOKS_LIKE_LINK.search(name):
        raise Refused("Your display name cannot contain a web or email address.", field=field)
    return name


def organisation_name(value, field="name"):
    name = _plain(value)
    if name is None:
        raise Refused("The organisation's name can only contain letters, numbers, spaces and punctuation.", field=field)
    if not name:
        raise Refused("Enter the organisation's name.", field=field, code="required")
    if len(name) > ORG_NAME_MAX:
        raise Refused(f"The organisation's name must be {ORG_NAME_MAX} characters or fewer.", field=field)
    return name


def registered_number(kind, value):
    """('', '') when neither is given; the kind and the number in the
    registry's own format (upper case, no spaces) otherwise."""
    number = "".join((value or "").split()).upper()
    kind = kind or ""
    if not number and not kind:
        return "", ""
    if kind not in NumberKind.values:
        raise Refused("Choose whether this is a Companies House or a charity number.", field="number_kind")
    if not number:
        raise Refused("Enter the number, or choose no number.", field="registered_number", code="required")
    if kind == NumberKind.COMPANY and not COMPANY_NUMBER.match(number):
        raise Refused("Enter a Companies House number in the correct format, like 01234567 or SC123456.",
                      field="registered_number")
    if kind == NumberKind.CHARITY and not CHARITY_NUMBER.match(number):
        raise Refused("Enter a charity number in the correct format, like 1123456, SC012345 or NIC100002.",
                      field="registered_number")
    return kind, number


def choice(value, choices, field, what):
    if value not in choices.values:
        raise Refused(f"Select the organisation's {what}.", field=field, code="required" if not value else "invalid")
    return value


def email(value, field="email"):
    address = (value or "").strip()
    if not address:
        raise Refused("Enter an email address.", field=field, code="required")
    if len(address) > EMAIL_MAX or not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", address):
        raise Refused("Enter an email address in the correct format, like name@example.com.", field=field)
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def masked_email(address):
    """An address as shown to whoever holds an invitation's link, or to an
    account that is not the invited one: its first letter and its domain
    ("j•••@example.org"), never its length."""
    local, _, domain = (address or "").rpartition("@")
    return f"{local[:1]}•••@{domain}"
