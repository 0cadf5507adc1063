import signal
import time

from django.core.management.base import BaseCommand, CommandError

from members.scale import PEOPLE_PER_SCALE, generate
from members.scale_content import DOCUMENTS_PER_SCALE, KINDS, POSTS_PER_SCALE, generate_content


class Command(BaseCommand):
    help = (
        f"Ergänzt die Demodaten um {PEOPLE_PER_SCALE} × SCALE erfundene Personen mit Mitgliedschaften und um Inhalte "
        f"(je Einheit {POSTS_PER_SCALE} Beiträge, Aufgaben und Termine, eine Sitzung, {DOCUMENTS_PER_SCALE} Dokumente; "
        "für Lasttests). Mehrfach ausführbar: füllt bis zum Ziel auf, verdoppelt nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, required=True, help=f"Ziel: {PEOPLE_PER_SCALE} × SCALE erzeugte Personen.")
        parser.add_argument("--seed", type=int, default=1, help="Startwert des Zufallsgenerators (Standard: 1).")
        parser.add_argument(
            "--documents",
            type=int,
            default=None,
            help=f"Anzahl erzeugter Dokumente (Standard: {DOCUMENTS_PER_SCALE} × SCALE).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Dokumente mit so vielen Prozessen schreiben (nur PostgreSQL; Standard: 1, sinnvoll: Anzahl der Kerne).",
        )
        parser.add_argument("--people-only", action="store_true", help="Nur Personen und Mitgliedschaften erzeugen.")
        parser.add_argument(
            "--only",
            default="",
            help=f"Nur diese Inhaltsarten auffüllen, durch Kommata getrennt ({', '.join(KINDS)}); "
            "mehrere Aufrufe mit verschiedenen Arten dürfen gleichzeitig laufen.",
        )

    def handle(
        self, *args, scale: int, seed: int, documents: int | None, people_only: bool, only: str = "", workers: int = 1, **options
    ):
        kinds = frozenset(k.strip() for k in only.split(",") if k.strip()) or None
        if kinds and not kinds <= set(KINDS):
            raise CommandError(f"--only: unbekannte Art; erlaubt sind {', '.join(KINDS)}.")
        # A bulk load drops the search index and builds it at the end: stop it with SIGTERM or Ctrl+C alike
        # (also when started in the background, where SIGINT is ignored), so that the index is rebuilt.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if scale < 0:
            raise CommandError("--scale darf nicht negativ sein.")
        if workers < 1:
            raise CommandError("--workers muss mindestens 1 sein.")
        if documents is not None and documents < 0:
            raise CommandError("--documents darf nicht negativ sein.")
        began = time.monotonic()
        result = generate(scale, seed=seed)
        self.stdout.write(
            f"Erzeugte Personen: {result['generated_people']} (Ziel {result['target_people']}); "
            f"neu angelegt: {result['created_people']} Personen, {result['created_memberships']} Mitgliedschaften."
        )
        if people_only:
            return
        verbose = options.get("verbosity", 1) >= 1

        def progress(message: str) -> None:
            if verbose:
                self.stderr.write(message)

        created = generate_content(scale, seed=seed, documents=documents, progress=progress, only=kinds, workers=workers)
        summary = ", ".join(f"{kind} {count}" for kind, count in created.items() if count)
        self.stdout.write(f"Inhalte neu angelegt: {summary or 'nichts'} ({time.monotonic() - began:.0f} s).")
