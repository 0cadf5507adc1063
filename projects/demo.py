"""Two joint projects for the demo: one closed with a public page, one running and not yet released.

The ``funding`` app's demo finds these projects by their slugs and adds programmes, applications,
notices and money to them. Idempotent: a project that exists is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from documents import actions as document_actions
from documents import generate
from meetings.minutes.actions import add_decision
from meetings.models import AgendaItem, Decision, Meeting
from members.models import Body, Municipality
from workspaces.actions import add_member
from workspaces.models import WorkspaceMember

from . import actions
from .models import JointProject, ProjectDecision, ProjectPartner

OFFICE_EMAIL = "geschaeftsstelle@interkommunal.example"
CLOSED_SLUG = "interkulturelle-personalgewinnung"
RUNNING_SLUG = "vielfalt-in-ausbildung"

CLOSED = {
    "title": "Interkulturelle Personalgewinnung in den Stadtverwaltungen",
    "summary": (
        "Fünf Städte haben gemeinsam erprobt, wie Stadtverwaltungen mehr Menschen mit Zuwanderungsgeschichte "
        "für Ausbildung und Beruf gewinnen: mit mehrsprachigen Stellenanzeigen, Informationsabenden in "
        "Migrantenorganisationen und geschulten Auswahlkommissionen. Gefördert aus Mitteln des Landes NRW (KOMM-IN)."
    ),
    "goals": (
        "Mehr Bewerbungen von Menschen mit Zuwanderungsgeschichte auf Ausbildungsplätze der Verwaltungen\n"
        "Diskriminierungsarme Auswahlverfahren in allen beteiligten Städten\n"
        "Ein gemeinsamer Leitfaden, den auch andere Kommunen nutzen können"
    ),
    "measures": (
        "Informationsabende mit Migrantenorganisationen in allen fünf Städten\n"
        "Schulung von 120 Mitgliedern der Auswahlkommissionen\n"
        "Überarbeitung der Stellenanzeigen in einfacher Sprache\n"
        "Patenschaften von Auszubildenden für Bewerberinnen und Bewerber"
    ),
    "results": (
        "Der Anteil der Bewerbungen von Menschen mit Zuwanderungsgeschichte stieg in den beteiligten Städten "
        "von 18 auf 27 Prozent. Alle fünf Städte nutzen die geschulten Auswahlkommissionen weiter; der Leitfaden "
        "„Willkommenskultur in der Ausbildung“ steht zum Download bereit. Der Verwendungsnachweis wurde 2024 anerkannt."
    ),
    "starts_on": dt.date(2022, 3, 1),
    "ends_on": dt.date(2024, 2, 29),
    "lead": "essen",
    "partners": [
        ("bochum", ProjectPartner.Role.PARTNER, "Schulung der Auswahlkommissionen"),
        ("gelsenkirchen", ProjectPartner.Role.PARTNER, "Informationsabende mit Migrantenorganisationen"),
        ("herne", ProjectPartner.Role.PARTNER, "Patenprogramm der Auszubildenden"),
        ("oberhausen", ProjectPartner.Role.ASSOCIATED, "übernimmt den Leitfaden"),
    ],
    "milestones": [
        ("Auftakt mit allen Partnerstädten", dt.date(2022, 3, 15), True),
        ("Stellenanzeigen in einfacher Sprache veröffentlicht", dt.date(2022, 9, 30), True),
        ("Schulung der Auswahlkommissionen abgeschlossen", dt.date(2023, 6, 30), True),
        ("Leitfaden veröffentlicht", dt.date(2024, 1, 31), True),
    ],
    "path": ["application", "approved", "running", "proof_of_use", "closed"],
}

RUNNING = {
    "title": "Vielfalt in der Ausbildung",
    "summary": (
        "Dortmund und drei Partnerstädte bauen ein gemeinsames Angebot für Ausbildungsinteressierte mit "
        "Zuwanderungsgeschichte auf: Praktika in den Verwaltungen nach gemeinsamen Kriterien, ein Mentoring "
        "durch Auszubildende und eine gemeinsame Ausbildungsmesse. Gefördert aus Mitteln des Landes NRW (KOMM-AN)."
    ),
    "goals": (
        "Gemeinsame Kriterien für Praktika in den Verwaltungen\n"
        "200 Praktikumsplätze in vier Städten bis Ende 2026\n"
        "Eine gemeinsame Ausbildungsmesse pro Jahr"
    ),
    "measures": (
        "Kriterienkatalog für Praktika erarbeiten und in den Städten beschließen lassen\n"
        "Mentoring durch Auszubildende im zweiten und dritten Lehrjahr\n"
        "Ausbildungsmesse im Wechsel der Städte"
    ),
    "results": "",
    "starts_on": dt.date(2025, 4, 1),
    "ends_on": None,  # a year after the next spring, whenever the demo is loaded (see load_demo_projects)
    "lead": "dortmund",
    "partners": [
        ("duisburg", ProjectPartner.Role.PARTNER, "Ausbildungsmesse 2026"),
        ("hagen", ProjectPartner.Role.PARTNER, "Mentoring-Programm"),
        ("muelheim-an-der-ruhr", ProjectPartner.Role.ASSOCIATED, "Erfahrungsaustausch"),
    ],
    "milestones": [
        ("Auftakt in Dortmund", dt.date(2025, 4, 10), True),
        ("Kriterienkatalog für Praktika beschlossen", dt.date(2025, 11, 28), True),
        # Ahead of today, whenever the demo is loaded (see _ahead).
        ("Erste gemeinsame Ausbildungsmesse", 60, False),
        ("Zwischenbericht an die Bezirksregierung", 120, False),
    ],
    "path": ["application", "approved", "running"],
}

DECISION_TEXTS = {
    CLOSED_SLUG: "Die Regiegruppe beschließt, das Gemeinschaftsprojekt „Interkulturelle Personalgewinnung“ unter "
    "Federführung der Stadt Essen zu beantragen.",
    RUNNING_SLUG: "Die Regiegruppe beschließt, das Gemeinschaftsprojekt „Vielfalt in der Ausbildung“ unter "
    "Federführung der Stadt Dortmund zu beantragen.",
}

GUIDE = [
    "Leitfaden: Willkommenskultur in der Ausbildung",
    "Ergebnis des Gemeinschaftsprojekts Interkulturelle Personalgewinnung (2022–2024).",
    "1. Stellenanzeigen in einfacher Sprache, mit Hinweis auf die Vielfalt der Verwaltung.",
    "2. Informationsabende gemeinsam mit Migrantenorganisationen vor Ort.",
    "3. Geschulte Auswahlkommissionen und strukturierte Interviews.",
]


def _ahead(days: int) -> dt.date:
    """A working day about ``days`` ahead of today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _city(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first()


def _decision(office, slug: str, spec: dict) -> Decision | None:
    """The Regiegruppe decision that started the project, in its last meeting before the project began.

    The demo's earlier meetings carry no agenda, so the item is added as history (as the meetings demo
    records past papers); the decision itself goes through the minutes action."""
    text = DECISION_TEXTS[slug]
    existing = Decision.objects.filter(text=text).first()
    if existing is not None:
        return existing
    meeting = (
        Meeting.objects.filter(body__kind=Body.Kind.STEERING_GROUP, status="held", start__date__lt=spec["starts_on"])
        .order_by("-start")
        .first()
    )
    if meeting is None:
        return None
    item = AgendaItem.objects.create(
        body=meeting.body,
        meeting=meeting,
        status=AgendaItem.Status.ACCEPTED,
        position=(meeting.agenda_items.aggregate(top=Max("position"))["top"] or 0) + 1,
        title=f"Gemeinschaftsprojekt „{spec['title']}“: Antrag",
        municipality=_city(spec["lead"]),
    )
    try:
        return add_decision(office, item, text)
    except ValidationError:
        return None


def _team(office, project: JointProject, emails: list[str]) -> None:
    for email in emails:
        user = User.objects.filter(email=email).first()
        if user is not None and not WorkspaceMember.objects.filter(workspace=project.workspace, user=user).exists():
            add_member(office, project.workspace, user, WorkspaceMember.Role.EDITOR)


def _build(office, slug: str, spec: dict, team: list[str]) -> JointProject | None:
    lead = _city(spec["lead"])
    if lead is None:
        return None
    project = actions.create_project(
        office,
        title=spec["title"],
        slug=slug,
        lead_municipality=lead,
        summary=spec["summary"],
        goals=spec["goals"],
        measures=spec["measures"],
        starts_on=spec["starts_on"],
        ends_on=spec["ends_on"],
    )
    for city_slug, role, contribution in spec["partners"]:
        city = _city(city_slug)
        if city is not None:
            actions.set_partner(office, project, city, role, contribution)
    for title, when, done in spec["milestones"]:
        due_on = when if isinstance(when, dt.date) else _ahead(when)
        milestone = actions.add_milestone(office, project, title=title, due_on=due_on)
        if done:
            actions.mark_milestone_done(office, milestone, due_on)
    for status in spec["path"]:
        actions.change_status(office, project, project.version, status)
    if spec["results"]:
        actions.update_project(office, project, project.version, results=spec["results"])
    decision = _decision(office, slug, spec)
    if decision is not None and not ProjectDecision.objects.filter(project=project, decision=decision).exists():
        actions.link_decision(office, project, decision, ProjectDecision.Effect.STARTED)
    _team(office, project, team)
    return project


def load_demo_projects() -> None:
    office = User.objects.filter(email=OFFICE_EMAIL).first()
    if office is None:
        return
    with transaction.atomic():
        if not JointProject.objects.filter(slug=CLOSED_SLUG).exists():
            project = _build(office, CLOSED_SLUG, CLOSED, ["sprecherin@interkommunal.example"])
            if project is not None:
                document = document_actions.upload(
                    office,
                    project.workspace,
                    SimpleUploadedFile("leitfaden-willkommenskultur-ausbildung.pdf", generate.pdf(GUIDE[0], GUIDE[1:])),
                    title="Leitfaden Willkommenskultur in der Ausbildung",
                )
                document_actions.set_public(office, document, True)
                actions.release(office, project, project.version)
        if not JointProject.objects.filter(slug=RUNNING_SLUG).exists():
            ends_on = dt.date(timezone.localdate().year + 1, 3, 31)
            _build(office, RUNNING_SLUG, {**RUNNING, "ends_on": ends_on}, ["projektteam@interkommunal.example"])
