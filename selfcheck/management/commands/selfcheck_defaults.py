from django.core.management.base import BaseCommand

from selfcheck.defaults import install
from selfcheck.models import Checklist, Factor, Item


class Command(BaseCommand):
    help = "Legt die mitgelieferten Checklisten des Selbstchecks an, soweit sie fehlen (mehrfach ausführbar)."

    def handle(self, *args, **options):
        created = install(Checklist, Factor, Item)
        self.stdout.write(f"{created} Prüffragen angelegt.")
