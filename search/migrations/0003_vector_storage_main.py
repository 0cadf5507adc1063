"""Keep the tsvector in the table row (STORAGE MAIN) instead of a TOAST table, on PostgreSQL.

Every search reads the tsvectors of its candidates (the phrase check, the match on the date index,
ts_rank). Stored out of line, each read costs a TOAST index lookup and several chunk reads; in the row,
the page that is read anyway holds it. Three to four times faster per candidate (docs/performance.md,
Search). A tsvector too large for a page still moves out of line. Existing rows are rewritten once so
that they take the new layout.
"""

from django.db import migrations

PG_FORWARD = [
    "ALTER TABLE search_searchentry ALTER COLUMN search_vector SET STORAGE MAIN",
    "UPDATE search_searchentry SET title = title",
]
PG_BACKWARD = ["ALTER TABLE search_searchentry ALTER COLUMN search_vector SET STORAGE EXTENDED"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD))]
