"""The text-search columns the database maintains itself (see search/models.py).

PostgreSQL: a stored generated tsvector with a GIN index (and pg_trgm,
which migration 0003 uses for the vocabulary). SQLite: an FTS5 table over search_entry
(Porter stemmer on unicode61, prefix indexes for 2 and 3 characters) kept by
triggers, and an fts5vocab table over its terms. Other databases get
neither and search falls back to matching words."""

from django.db import migrations

# Title A; summary, organisation, author and tags B; body C.
PG_VECTOR = """
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(summary, '') || ' ' || coalesce(organisation, '') || ' '
                                     || coalesce(author, '') || ' ' || coalesce(tags, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(body, '')), 'C')
"""

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"ALTER TABLE search_entry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({PG_VECTOR}) STORED",
    "CREATE INDEX search_entry_vector ON search_entry USING gin (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS search_vector",
]

FTS_COLUMNS = "title, summary, organisation, author, tags, body"
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_entry_fts USING fts5({FTS_COLUMNS},
        content='search_entry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')""",
    "CREATE VIRTUAL TABLE search_entry_vocab USING fts5vocab(search_entry_fts, 'row')",
    f"""CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.summary, new.organisation, new.author, new.tags, new.body);
    END""",
    f"""CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.summary, old.organisation, old.author, old.tags, old.body);
    END""",
    f"""CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.summary, old.organisation, old.author, old.tags, old.body);
        INSERT INTO search_entry_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.summary, new.organisation, new.author, new.tags, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_entry_vocab",
    "DROP TABLE IF EXISTS search_entry_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
