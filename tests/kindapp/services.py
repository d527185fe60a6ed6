"""The note kind's one write: it creates its row and hands it to the shared
path every kind of contribution takes (ideas/services/contributions.py)."""

from django.db import transaction

from ideas.services.base import initial_visibility
from ideas.services.contributions import posted

from .models import Note


def post_note(user, board, body):
    with transaction.atomic():
        note = Note.objects.create(board=board, author=user, body=body, visibility=initial_visibility(board.call))
        posted(note)
    return note
