"""Delete the raw survey answers of waves whose aggregates have been final for long enough.

Run daily (cron or systemd timer). Every deletion is written to the audit log with the number of
responses and codes removed; the published aggregates stay.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from monitoring.actions import delete_raw_responses, retention_due


class Command(BaseCommand):
    help = (
        "Löscht die Rohantworten ausgewerteter Befragungswellen nach Ablauf der Aufbewahrungsfrist (MONITORING_RETENTION_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Nur anzeigen, was gelöscht würde.")

    def handle(self, *args, dry_run: bool = False, **options):
        due = retention_due()
        if not due:
            self.stdout.write(
                f"Nichts zu löschen (Frist: {settings.MONITORING_RETENTION_DAYS} Tage nach Abschluss der Auswertung)."
            )
            return
        for wave in due:
            if dry_run:
                self.stdout.write(f"Würde löschen: {wave} (ausgewertet am {wave.finalised_on:%d.%m.%Y})")
                continue
            deleted = delete_raw_responses(None, wave)
            self.stdout.write(f"{wave}: {deleted} Rohantworten gelöscht (protokolliert).")
