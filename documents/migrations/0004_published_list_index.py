"""The public publications list comes in pages: its count and its pages read one partial index of the
published, untrashed documents (newest first). The new index is built before the old one goes, so the
list keeps an index during a rolling update."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_document_licence_kind_and_cities"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("is_public", True), ("trashed_at__isnull", True)),
                fields=["-published_at", "id"],
                name="document_published_idx",
            ),
        ),
        migrations.RemoveIndex(
            model_name="document",
            name="document_public_idx",
        ),
    ]
