from django.core.management.base import BaseCommand

from polls.housekeeping import run


class Command(BaseCommand):
    help = (
        "Erinnert an Terminabstimmungen, deren Frist bald endet, und löscht abgeschlossene Abstimmungen "
        "nach POLL_RETENTION_DAYS Tagen (protokolliert). Beliebig oft ausführbar."
    )

    def handle(self, *args, **options):
        result = run()
        self.stdout.write(f"Erinnerungen: {result['reminded']}, gelöschte Abstimmungen: {result['deleted']}")
