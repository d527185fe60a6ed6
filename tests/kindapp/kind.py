"""The note kind's registration: everything the platform needs to know about it."""

from django.db.models import F

from ideas import kinds
from ideas.models import Visibility
from live.events import CONTRIBUTION_CREATED, CONTRIBUTION_REMOVED
from live.topics import call_topic

from .models import Board, Note


def public_notes():
    return Note.objects.filter(visibility=Visibility.PUBLISHED, board__call__live=True)


def is_public_note(note):
    return note.visibility == Visibility.PUBLISHED and note.board.call.live


def counts(note):
    return note.visibility == Visibility.PUBLISHED


def count_changed(note, was_counted):
    delta = int(counts(note)) - int(was_counted)
    if delta:
        Board.objects.filter(pk=note.board_id).update(note_count=F("note_count") + delta)
    return delta


def _event(name):
    return lambda note: [(call_topic(note.board.call_id), name, {"kind": "note", "id": note.pk})]


def document(note):
    return {"kind": "note", "id": note.pk, "title": note.body[:90], "url": f"{note.board.call.url}#note-{note.pk}",
            "body": note.body, "call_id": note.board.call_id}


def note_rows(user):
    for note in Note.objects.filter(author=user).order_by("pk"):
        yield {"id": note.pk, "body": note.body, "visibility": note.visibility, "created_at": note.created_at}


def erase(user, remove_contributions):
    if remove_contributions:
        for note in Note.objects.filter(author=user):
            was = counts(note)
            note.body, note.visibility = "", Visibility.HIDDEN
            note.save(update_fields=["body", "visibility"])
            count_changed(note, was)


PARTS = dict(
    name="note", model=Note, label="note", page="board__call",
    public_rows=public_notes, is_public=is_public_note, call_of=lambda note: note.board.call,
    title=lambda note: note.body, named=lambda note: f"“{note.body[:40]}”", text=lambda note: note.body,
    counts=counts, count_changed=count_changed,
    shown=_event(CONTRIBUTION_CREATED), removed=_event(CONTRIBUTION_REMOVED),
    document=document, data_section="notes", data_rows=note_rows, data_erase=erase, data_order=60,
)
NOTE = kinds.Kind(**PARTS)
