"""PostgreSQL: leave room in every page of the code table so that marking a code as used is a
HOT update that stays in the page where the code was generated. Otherwise the updated row moves
to the end of the table, and the physical order of used codes would mirror the order in which
responses arrived. No-op on SQLite, which rewrites rows in place."""

from django.db import migrations


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE monitoring_accesscode SET (fillfactor = 50)")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE monitoring_accesscode RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_survey_rounds_waves_codes_responses")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
