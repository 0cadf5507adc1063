"""Demo knowledge base: published practice examples and pending ones from invented outside contributors.

Idempotent: nothing is added once any practice example exists. Every step goes through the actions, so the
demo has versions, review notes, audit entries and notifications like real use.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from members.models import Municipality, Person

from . import actions
from .models import Contributor, PracticeExample

CONTRIBUTORS = [
    ("aylin.demir@brueckenbauer.example", "Aylin", "Demir", "Brückenbauer e. V. (erfunden)", "migrant_organisation"),
    ("jonas.hartwig@stadtforschung.example", "Jonas", "Hartwig", "Institut für Stadtforschung Ruhr (erfunden)", "research"),
    ("svetlana.krueger@handwerk.example", "Svetlana", "Krüger", "Handwerksbetrieb Krüger & Söhne (erfunden)", "business"),
]

EXAMPLES = [
    {
        "author": 0,
        "title": "Lotsinnen und Lotsen im Bürgeramt",
        "summary": "Ehrenamtliche aus Migrantenorganisationen begleiten Neuzugewanderte bei ihren ersten Behördengängen.",
        "field": "access",
        "target_group": "migrants",
        "cities": ["essen", "bochum"],
        "partners_migrant": "Brückenbauer e. V. (erfunden)",
        "goals": "- Termine im Bürgeramt **ohne** Sprachbarriere\n- Vertrauen in die Verwaltung stärken",
        "approach": "## Ablauf\n\n1. Schulung der Lotsinnen (zwei Abende)\n2. Sprechstunde zweimal pro Woche\n3. Austausch mit dem Bürgeramt",
        "resources": "Zwei Stunden Koordination pro Woche, Aufwandsentschädigung aus dem Integrationsbudget.",
        "results": "Rund 300 Begleitungen im ersten Jahr; weniger abgebrochene Termine.",
        "transferability": "Gut übertragbar, wenn eine Migrantenorganisation vor Ort die Lotsinnen gewinnt.",
        "tags": "Bürgeramt, Ehrenamt, Sprachmittlung",
        "state": "published",
    },
    {
        "author": 1,
        "title": "Anonymisierte Bewerbungsverfahren in der Ausbildung",
        "indicator": True,
        "summary": "Eine Stadtverwaltung erprobt Bewerbungen ohne Foto, Name und Geburtsort für ihre Ausbildungsberufe.",
        "field": "recruitment",
        "target_group": "trainees",
        "cities": ["hagen"],
        "partners_science": "Institut für Stadtforschung Ruhr (erfunden)",
        "goals": "Mehr Einladungen für Bewerberinnen und Bewerber mit Einwanderungsgeschichte.",
        "approach": "Das Personalamt schwärzt die Unterlagen; die Auswahlkommission sieht nur Qualifikationen.",
        "results": "Der Anteil eingeladener Bewerbungen mit Einwanderungsgeschichte stieg deutlich.",
        "transferability": "Braucht eine Absprache mit dem Personalrat und eine Person, die schwärzt.",
        "tags": "Ausbildung, Personalgewinnung",
        "state": "published_with_revision",
    },
    {
        "author": 2,
        "title": "Praktikumsbörse mit dem Handwerk",
        "summary": "Betriebe und Stadtverwaltung bieten gemeinsame Praktika für junge Geflüchtete an.",
        "field": "qualification",
        "target_group": "refugees",
        "cities": ["muelheim-an-der-ruhr"],
        "partners_business": "Handwerksbetrieb Krüger & Söhne (erfunden)",
        "goals": "Berufsorientierung und erste Kontakte zu Betrieben.",
        "approach": "Ein gemeinsamer Aktionstag, danach zwei Wochen Praktikum im Betrieb und eine Woche in der Verwaltung.",
        "tags": "Praktikum, Handwerk",
        "state": "in_review",
    },
    {
        "author": 0,
        "title": "Mehrsprachige Elternabende in Kitas",
        "summary": "Kitas laden mit Sprachmittlerinnen zu Elternabenden in mehreren Sprachen ein.",
        "field": "communication",
        "target_group": "migrants",
        "cities": ["herne"],
        "goals": "Eltern erreichen, die bisher nicht kamen.",
        "approach": "Einladung in fünf Sprachen, Sprachmittlung vor Ort.",
        "licence": "internal",
        "tags": "Kita, Sprachmittlung",
        "state": "changes_requested",
    },
]


def _contributor_user(email, given, family, organisation, kind):
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from members.demo import DEMO_PASSWORD

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        person = Person.objects.create(given_name=given, family_name=family, email=email, user=user, profile_visibility="office")
        Contributor.objects.create(person=person, organisation=organisation, kind=kind, origin=Contributor.Origin.INVITED)
    return user


def _data(spec: dict) -> dict:
    keys = {"title", "summary", "field", "target_group", "goals", "approach", "resources", "results", "transferability", "tags"}
    keys |= {"partners_migrant", "partners_business", "partners_science", "licence"}
    data = {k: v for k, v in spec.items() if k in keys}
    data.setdefault("licence", "cc-by-4.0")
    data["contact_name"] = "Geschäftsführung Integration.Interkommunal"
    data["cities"] = list(Municipality.objects.filter(slug__in=spec["cities"]))
    data["period_start"] = timezone.localdate().replace(day=1) - dt.timedelta(days=400)
    if spec.get("indicator"):
        data.update(_released_figure(spec["cities"]))
    return data


def _released_figure(city_slugs: list[str]) -> dict:
    """A released headline figure of the monitoring as the example's evidence (the own city's where there is one)."""
    from monitoring.models import AggregateCell

    from .indicators import released_indicator_ids

    cells = AggregateCell.objects.filter(pk__in=released_indicator_ids()).select_related("municipality")
    cell = next((c for c in cells if c.municipality and c.municipality.slug in city_slugs), None) or cells.first()
    return {"evidence_indicator": cell} if cell else {}


@transaction.atomic
def load_demo_knowledge() -> int:
    from accounts.models import User

    if PracticeExample.objects.exists():
        return 0
    office = User.objects.filter(email="geschaeftsstelle@interkommunal.example").first()
    speaker = User.objects.filter(email="sprecherin@interkommunal.example").first()
    if office is None or speaker is None:
        return 0
    authors = [_contributor_user(*row) for row in CONTRIBUTORS]
    for spec in EXAMPLES:
        author = authors[spec["author"]]
        example = actions.create_example(author, _data(spec))
        actions.submit(author, example, example.version)
        example.refresh_from_db()
        actions.assign_reviewer(office, example, speaker)
        if spec["state"] == "changes_requested":
            actions.request_changes(speaker, example, example.latest_id, "Bitte ergänzen Sie, was die Sprachmittlung kostet.")
            continue
        if spec["state"] == "in_review":
            actions.comment(office, example, example.latest_id, "Danke! Wir prüfen das Beispiel bis Monatsende.")
            continue
        actions.approve(office, example, example.latest_id)
        actions.approve(speaker, example, example.latest_id, "Fachlich stimmig.")
        if spec["state"] == "published_with_revision":
            example.refresh_from_db()
            actions.save_draft(
                author,
                example,
                example.version,
                {
                    "results": spec["results"] + " Die Auswertung nach zwei Jahrgängen liegt jetzt vor.",
                    "change_note": "Auswertung ergänzt",
                },
            )
            example.refresh_from_db()
            actions.submit(author, example, example.version)
    return len(EXAMPLES)
