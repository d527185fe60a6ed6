"""PostgreSQL: `rank_vector`, a second, small stored tsvector of the
title (A) and the summary, organisation, author and tags (B), without the
body. A broad query scores its counted matches with it to choose the
candidates it then ranks in full (search/database.py, docs/search.md
"Broad queries"): it is about a quarter of `search_vector`'s size and is
kept in the row (STORAGE MAIN), so scoring it reads no TOAST. No index: it
is only read for rows the GIN index of `search_vector` found. SQLite scores
its FTS5 table's bm25 instead and gets nothing here."""

from django.db import migrations

RANK_VECTOR = """
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(summary, '') || ' ' || coalesce(organisation, '') || ' '
                                     || coalesce(author, '') || ' ' || coalesce(tags, '')), 'B')
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE search_entry ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS ({RANK_VECTOR}) STORED"
        )
        schema_editor.execute("ALTER TABLE search_entry ALTER COLUMN rank_vector SET STORAGE MAIN")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_entry DROP COLUMN IF EXISTS rank_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_static_sort_indexes")]

    operations = [migrations.RunPython(forward, backward)]
