"""The shipped checklists: the founding checklist of success factors and the intercultural opening check."""

from django.db import migrations


def install_shipped(apps, schema_editor):
    from selfcheck.defaults import install

    install(apps.get_model("selfcheck", "Checklist"), apps.get_model("selfcheck", "Factor"), apps.get_model("selfcheck", "Item"))


def remove_unused(apps, schema_editor):
    from selfcheck.defaults import SHIPPED

    checklist = apps.get_model("selfcheck", "Checklist")
    checklist.objects.filter(slug__in=SHIPPED, rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("selfcheck", "0001_checklists_rounds_answers")]
    operations = [migrations.RunPython(install_shipped, remove_unused)]
