"""A person's data rights (UK GDPR): download everything held about them,
and delete their account.

Each app knows what it holds about a person, so each registers two things
here in its AppConfig.ready() (the registry pattern of docs/architecture.md:
people sits below the apps that hold contributions, flags and
notifications): a section of the download, and what deleting the account
does to its rows. The account itself is anonymised last, in the same
transaction, so a failure anywhere leaves everything as it was.

The download is streamed section by section, row by row, so a person with a
hundred thousand votes never loads them into memory."""

import json
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable, Iterable

from django.db import transaction

_sections = {}


@dataclass(frozen=True)
class Section:
    name: str
    rows: Callable[[object], Iterable[dict]]
    erase: Callable[[object, bool], None] | None
    order: int


def register(name: str, rows: Callable[[Any], Iterable[dict]], erase: Callable[[Any, bool], None] | None = None,
             order: int = 50) -> None:
    """`rows(user)` yields JSON-ready dicts; `erase(user, remove_contributions)`
    runs inside the deletion's transaction, lowest `order` first."""
    _sections[name] = Section(name, rows, erase, order)


def section_names():
    return sorted(_sections, key=lambda n: (_sections[n].order, n))


def stream_export(user, meta):
    """The JSON document, in chunks: {"about": meta, "<section>": [rows...], ...}."""
    dump = json.dumps
    yield "{" + dump("about") + ": " + dump(meta, default=str)
    for name in section_names():
        yield ",\n" + dump(name) + ": ["
        first = True
        for row in _sections[name].rows(user):
            yield ("\n  " if first else ",\n  ") + dump(row, default=str, ensure_ascii=False)
            first = False
        yield "]"
    yield "\n}\n"


def delete_account(user, *, remove_contributions=False):
    with transaction.atomic():
        for name in section_names():
            section = _sections[name]
            if section.erase is not None:
                section.erase(user, remove_contributions)
