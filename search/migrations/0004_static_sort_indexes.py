"""Indexes for the static sorts of broad queries (search/database.py,
STATIC_ORDER): most supported (also where relevance takes its candidates
from) and newest. The newest index is written per database: PostgreSQL
puts NULLs first in a DESC index unless told, SQLite puts them last and
accepts no NULLS LAST in an index."""

from django.db import migrations, models

RECENT = {
    "postgresql": "CREATE INDEX search_entry_recent ON search_entry (published_at DESC NULLS LAST, id DESC)",
    "sqlite": "CREATE INDEX search_entry_recent ON search_entry (published_at DESC, id DESC)",
}


def create_recent(apps, schema_editor):
    sql = RECENT.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def drop_recent(apps, schema_editor):
    if schema_editor.connection.vendor in RECENT:
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_recent")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_vocabulary")]

    operations = [
        migrations.RemoveIndex(model_name="entry", name="search_entry_newest"),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(
                models.OrderBy(models.F("support_count"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="search_entry_supported",
            ),
        ),
        migrations.RunPython(create_recent, drop_recent),
    ]
