"""The mixing pool: submitted answers wait here, sealed, until at least k of a wave can be moved
into the responses table together (issue 9, section 2).

PostgreSQL: the sealed value (about 2.8 kB of random base64) is stored inline and uncompressed —
compressing random bytes is wasted work on every submission, and moving it to the TOAST table
would add a second insert."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def store_sealed_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE monitoring_pendingresponse ALTER COLUMN sealed SET STORAGE PLAIN")


def store_sealed_as_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE monitoring_pendingresponse ALTER COLUMN sealed SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_access_code_updates_in_place")]

    operations = [
        migrations.CreateModel(
            name="PendingResponse",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("sealed", models.TextField()),
                (
                    "wave",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="monitoring.wave"
                    ),
                ),
            ],
            options={"verbose_name": "wartende Antwort", "verbose_name_plural": "wartende Antworten"},
        ),
        migrations.RunPython(store_sealed_inline, store_sealed_as_default),
    ]
