from django.core.management.base import BaseCommand

from meetings.digest import run_daily


class Command(BaseCommand):
    help = (
        "Versendet die Vorbereitungs-Übersicht vor Sitzungen (idempotent) und genehmigt fällige Protokolle im Fristmodus. "
        "Der Worker erledigt das täglich von selbst (NOTIFICATIONS_DAILY_JOBS)."
    )

    def handle(self, *args, **options):
        result = run_daily()
        self.stdout.write(f"{result['digests']} Übersicht(en) versandt, {result['approved']} Protokoll(e) genehmigt.")
