from django.core.management.base import BaseCommand

from events import housekeeping


class Command(BaseCommand):
    help = (
        "Warteliste weiterführen, nicht genutzte Kontingente zurückgeben, Angaben zur Barrierefreiheit und "
        "personenbezogene Daten nach den Fristen löschen. Der Worker erledigt das täglich von selbst."
    )

    def handle(self, *args, **options):
        result = housekeeping.run()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in result.items()))
