from django.core.management.base import BaseCommand

from meetings.actions import approve_due_minutes
from meetings.digest import send_due_digests


class Command(BaseCommand):
    help = "Versendet die Vorbereitungs-Übersicht vor Sitzungen (idempotent) und genehmigt fällige Protokolle im Fristmodus."

    def handle(self, *args, **options):
        sent = send_due_digests()
        approved = approve_due_minutes()
        self.stdout.write(f"{sent} Übersicht(en) versandt, {approved} Protokoll(e) genehmigt.")
