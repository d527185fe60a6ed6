"""The relay table: live events published by a process that serves no
sockets (the background worker, a management command) on the embedded
default, where the channel layer is in-memory and so per process.

Such a process writes each event here (live/relay.py); the server's hub
reads new rows about once a second, publishes them to its own sockets as if
the event had been published there (sequence number, catch-up log), and
prunes rows older than a few minutes. With REDIS_URL the layer is shared by
every process and this table stays empty."""

from django.db import models


class RelayedEvent(models.Model):
    topic = models.CharField(max_length=32)  # the topic grammar allows at most 23 characters
    event = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    # When it was published (time.time()): the event's "at", and what pruning reads.
    at = models.FloatField(db_index=True)

    class Meta:
        verbose_name = "relayed live event"

    def __str__(self):
        return f"{self.event} on {self.topic} (#{self.pk})"
