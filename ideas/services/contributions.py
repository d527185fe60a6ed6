"""What every kind of contribution goes through when it is posted, so an
app that declares a kind (ideas/kinds.py) writes only its own row: its
service creates the row inside its transaction and calls `posted(row)`,
which screens its text (a hold is logged by moderation, as for ideas),
keeps its counter, tells live pages and the queue, and indexes it."""

from django.db.models import Model

from django.db import transaction

from .. import kinds, screening
from ..models import Visibility
from .base import after_commit, _log_automatic_hold, queue_on_commit


def posted(row: Model) -> None:
    """Inside the write's transaction, right after `row` was created.
    Returns the reason it was held, or None."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("posted() runs inside the write's transaction.atomic().")
    kind = kinds.of(row)
    why = screening.hold_reason(kind.author(row), kind.text(row))
    if why and row.visibility in (Visibility.PUBLISHED, Visibility.PENDING):
        row.visibility = Visibility.PENDING
        row.save(update_fields=["visibility"])
        _log_automatic_hold(row, why)
    counted = kind.count_changed(row, False)
    if kind.is_public(row):
        after_commit([*kind.shown(row), *kind.after_counted(row, counted)])
    elif not why:
        queue_on_commit(row)  # waits for a moderator (a pre-moderated call)
    if kind.document is None:  # a kind whose index the registry keeps is synced by its post_save signal
        kind.search(row.pk)
    return why
