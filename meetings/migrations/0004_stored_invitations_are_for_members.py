"""Invitation PDFs stored so far list every agenda item, the non-public ones included: they become the
members' rendition (not public). The public rendition without non-public items is stored with the next
invitation or re-send (``documents.store_invitation_pdf``). Going back makes them public again, as before."""

from django.db import migrations


def members_only(apps, schema_editor):
    apps.get_model("meetings", "MeetingFile").objects.filter(role="invitation", public=True).update(public=False)


def public_again(apps, schema_editor):
    apps.get_model("meetings", "MeetingFile").objects.filter(role="invitation", public=False).update(public=True)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_paper_versions_and_one_authoritative_step")]

    operations = [migrations.RunPython(members_only, public_again)]
