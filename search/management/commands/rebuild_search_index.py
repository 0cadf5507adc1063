from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Baut den Suchindex neu auf (alle Arten oder die genannten, z. B. document person workspace)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*")

    def handle(self, *args, kinds=None, **options):
        count = rebuild(kinds or None)
        self.stdout.write(f"{count} Einträge indexiert.")
