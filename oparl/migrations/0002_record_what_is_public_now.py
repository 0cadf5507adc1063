"""Start the record with everything public now: clients that crawled before the record existed hold these
objects, so a later withdrawal must reach them as a deleted stub, not as a 404."""

from django.db import migrations


def record_public_set(apps, schema_editor):
    from oparl.publish import all_public

    ServedObject = apps.get_model("oparl", "ServedObject")
    ServedObject.objects.bulk_create(
        [ServedObject(kind=kind, object_id=pk) for kind, pk in sorted(all_public())], ignore_conflicts=True, batch_size=5000
    )


def forget_record(apps, schema_editor):
    apps.get_model("oparl", "ServedObject").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("oparl", "0001_served_objects"),
        ("meetings", "0003_paper_versions_and_one_authoritative_step"),
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunPython(record_public_set, forget_record)]
