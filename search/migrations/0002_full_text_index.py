"""The full-text index, per database: a stored weighted tsvector with a GIN index (PostgreSQL) or an FTS5 table (SQLite)."""

from django.db import migrations

PG_FORWARD = [
    """ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('german'::regconfig, coalesce(body, '')), 'B')
    ) STORED""",
    "CREATE INDEX search_entry_vector_gin ON search_searchentry USING gin (search_vector)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS search_entry_vector_gin", "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector"]
SQLITE_FORWARD = ["CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')"]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entries")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
