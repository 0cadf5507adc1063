from django.core.management.base import BaseCommand

from meetings.demo import load_demo_meetings
from members.demo import DEMO_PASSWORD, load_demo, load_demo_accounts
from monitoring.demo import load_demo_monitoring
from workspaces.demo import load_demo_workspaces


class Command(BaseCommand):
    help = "Lädt die Demodaten (zehn Städte, Gremien, erfundene Personen, Demo-Konten). Mehrfach ausführbar."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Die Demo-Zugänge nicht ausgeben.")

    def handle(self, *args, quiet_logins: bool = False, **options):
        result = load_demo()
        rows = load_demo_accounts()
        load_demo_workspaces()
        load_demo_monitoring()
        load_demo_meetings()
        self.stdout.write(
            "Demodaten angelegt." if result["created"] else "Demodaten waren schon vorhanden; nichts überschrieben."
        )
        if quiet_logins:
            return
        self.stdout.write(f"\nDemo-Zugänge (Passwort für alle: {DEMO_PASSWORD}):")
        for email, label, secret in rows:
            line = f"  {label:<48} {email}"
            if secret:
                line += f"\n  {'':<48} Zwei-Faktor: Schlüssel {secret} in eine Authenticator-App eintragen"
                line += f"\n  {'':<48} oder Code anzeigen: .venv/bin/python manage.py demo_code {email}"
            self.stdout.write(line)
