from django.core.management.base import BaseCommand, CommandError

from members.scale import PEOPLE_PER_SCALE, generate


class Command(BaseCommand):
    help = (
        f"Ergänzt die Demodaten um {PEOPLE_PER_SCALE} × SCALE erfundene Personen mit Mitgliedschaften "
        "(für Lasttests). Mehrfach ausführbar: füllt bis zum Ziel auf, verdoppelt nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, required=True, help=f"Ziel: {PEOPLE_PER_SCALE} × SCALE erzeugte Personen.")
        parser.add_argument("--seed", type=int, default=1, help="Startwert des Zufallsgenerators (Standard: 1).")

    def handle(self, *args, scale: int, seed: int, **options):
        if scale < 0:
            raise CommandError("--scale darf nicht negativ sein.")
        result = generate(scale, seed=seed)
        self.stdout.write(
            f"Erzeugte Personen: {result['generated_people']} (Ziel {result['target_people']}); "
            f"neu angelegt: {result['created_people']} Personen, {result['created_memberships']} Mitgliedschaften."
        )
