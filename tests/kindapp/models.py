"""A minimal kind of contribution, defined only in tests: notes on a board
of a call, each board counting its public notes."""

from django.conf import settings
from django.db import models

from consult.models import ChallengeCallPage
from ideas.models import Visibility


class Board(models.Model):
    call = models.ForeignKey(ChallengeCallPage, on_delete=models.CASCADE, related_name="+")
    note_count = models.PositiveIntegerField(default=0)


class Note(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.CharField(max_length=500)
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.PUBLISHED)
    moderation_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
