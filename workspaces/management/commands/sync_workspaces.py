from django.core.management.base import BaseCommand

from workspaces.actions import ensure_body_workspaces


class Command(BaseCommand):
    help = (
        "Legt fehlende Arbeitsbereiche der Gremien an und gleicht ihre Mitglieder mit den aktuellen "
        "Mitgliedschaften ab. Mitgliedschaften beginnen und enden an Stichtagen: täglich ausführen."
    )

    def handle(self, *args, **options):
        result = ensure_body_workspaces()
        self.stdout.write(
            f"Arbeitsbereiche der Gremien abgeglichen: {result.created_workspaces} neu angelegt, "
            f"{result.added} Personen aufgenommen, {result.changed} Rollen geändert, {result.removed} Personen entfernt."
        )
