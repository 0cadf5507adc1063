from django.core.management.base import BaseCommand

from annualreport.demo import load_demo_annual_reports
from calendar_events.demo import load_demo_calendar
from costshares.demo import load_demo_costshares
from documents.demo import load_demo_documents
from events.demo import load_demo_events
from funding.demo import load_demo_funding
from knowledge.demo import load_demo_knowledge
from meetings.demo import load_demo_integration, load_demo_meetings
from members.demo import DEMO_PASSWORD, DEMO_TOTP_SECRETS, PERSONAS, load_demo, load_demo_accounts
from monitoring.demo import DEMO_CODES, DEMO_HR_EMAIL, load_demo_monitoring
from news.demo import load_demo_news
from projects.demo import load_demo_projects
from search.indexing import rebuild
from selfcheck.demo import load_demo_selfcheck
from tasks.demo import load_demo_tasks
from workspaces.demo import load_demo_workspaces

# Logins shown besides the personas: a city's HR person sees the city's survey results (monitoring/demo.py).
EXTRA_LOGINS = [(DEMO_HR_EMAIL, "Personalabteilung Essen (Monitoring der Stadt)")]


class Command(BaseCommand):
    help = "Lädt die Demodaten (zehn Städte, Gremien, erfundene Personen, Demo-Konten). Mehrfach ausführbar."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Die Demo-Zugänge nicht ausgeben.")
        parser.add_argument(
            "--only-logins", action="store_true", help="Nur die Demo-Zugänge ausgeben, nichts laden (für bin/run)."
        )

    def handle(self, *args, quiet_logins: bool = False, only_logins: bool = False, **options):
        if only_logins:
            self.print_logins()
            return
        result = load_demo()
        load_demo_accounts()
        load_demo_workspaces()
        load_demo_monitoring()
        load_demo_news()
        load_demo_tasks()
        load_demo_calendar()
        load_demo_documents()
        load_demo_meetings()
        load_demo_integration()
        load_demo_selfcheck()
        load_demo_costshares()
        load_demo_projects()
        load_demo_funding()  # after the projects demo, which creates the two projects first
        load_demo_events()
        load_demo_knowledge()
        load_demo_annual_reports()  # last: the frozen report counts what the other demos created
        rebuild()  # the search finds all demo content at once, without waiting for the worker
        self.stdout.write(
            "Demodaten angelegt." if result["created"] else "Demodaten waren schon vorhanden; nichts überschrieben."
        )
        if not quiet_logins:
            self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write(f"Demo-Zugänge (Passwort für alle: {DEMO_PASSWORD}):")
        for email, label in [(email, label) for email, label, _mfa in PERSONAS] + EXTRA_LOGINS:
            line = f"  {label:<48} {email}"
            secret = DEMO_TOTP_SECRETS.get(email)
            if secret:
                line += f"\n  {'':<48} Zwei-Faktor: Schlüssel {secret} in eine Authenticator-App eintragen"
                line += f"\n  {'':<48} oder Code anzeigen: .venv/bin/python manage.py demo_code {email}"
            self.stdout.write(line)
        self.stdout.write(f"Befragung ausprobieren (Essen, anonym): /umfrage/ mit einem der Codes {', '.join(DEMO_CODES[:3])}")
