"""The mixing pool: submitted answers wait here, sealed, until at least k of a wave can be moved
into the responses table together (issue 9, section 2)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


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
    ]
