"""The search index the database keeps: one row per thing anyone may find.

Every backend reads from documents (plain dicts) its callers send after the
commit that changes an item; this table stores them for the database
backends, always, because it is also what answers when Elasticsearch is
configured but cannot be reached. The columns the text search reads are
maintained by the database itself, so no code path can forget them:

- PostgreSQL: `search_vector`, a stored generated tsvector (title A;
  summary, organisation, author and tags B; body C) with a GIN index
  (migration 0002), and `search_word`, its vocabulary, with a pg_trgm
  index for typos (migration 0003);
- SQLite: the FTS5 table `search_entry_fts` (Porter stemmer, prefix indexes)
  over these rows, kept by triggers, and `search_entry_vocab` over its terms
  for typo correction.

Neither column is on the model: Django never writes them."""

from django.db import models
from django.db.models import F


class Entry(models.Model):
    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    title = models.TextField()
    summary = models.TextField(blank=True, default="")
    body = models.TextField(blank=True, default="")
    tags = models.TextField(blank=True, default="")  # space-separated
    organisation = models.CharField(max_length=200, blank=True, default="")
    author = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=32, blank=True, default="")
    sector = models.CharField(max_length=100, blank=True, default="")
    org_type = models.CharField(max_length=64, blank=True, default="")
    mission_id = models.BigIntegerField(null=True, blank=True)
    call_id = models.BigIntegerField(null=True, blank=True)
    support_count = models.IntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    url = models.CharField(max_length=500, blank=True, default="")
    context = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        db_table = "search_entry"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")]
        indexes = [
            models.Index(fields=["kind", "call_id"], name="search_entry_call"),
            models.Index(fields=["kind", "mission_id"], name="search_entry_mission"),
            # The static sorts of broad queries walk this one and
            # search_entry_recent (published_at DESC NULLS LAST, id DESC; made
            # by migration 0004, as SQLite has no NULLS LAST in an index),
            # filtered by the match (search/database.py, STATIC_ORDER); relevance
            # takes its candidates from this one.
            models.Index(F("support_count").desc(), F("id").desc(), name="search_entry_supported"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title[:40]}"


class Word(models.Model):
    """PostgreSQL: every word (lexeme) the index holds, with a pg_trgm index,
    to correct a typed word that matches nothing (search/database.py).
    SQLite reads its fts5vocab table instead, so this stays empty there."""

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        db_table = "search_word"


class Outbox(models.Model):
    """Index changes not yet made: one row per item (the latest change
    wins). `stage` says which: DATABASE, written in the changing write's own
    transaction and removed once its after-commit sync has indexed it (a row
    left behind means the process died in between); ELASTIC, in the
    database index but missed by Elasticsearch while it could not be
    reached. Both are drained (search/outbox.py)."""

    DATABASE, ELASTIC = "database", "elastic"

    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    stage = models.CharField(max_length=10, default=ELASTIC,
                             choices=[(DATABASE, "Not yet indexed"), (ELASTIC, "Not yet in Elasticsearch")])
    queued_at = models.DateTimeField(auto_now=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "search_outbox"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_outbox_once")]
