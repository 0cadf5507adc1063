"""Demo events: a past forum with attendance and certificates, and an upcoming one with open registration,
city contingents and a waiting list. Invented people only; idempotent (an existing slug is left alone).

The past forum is set up as it happened: registrations while it was upcoming, check-in on the day, then its
dates moved to the past (as an organiser's versioned edit), so every row went through the actions.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from calendar_events.ical import BERLIN
from members.models import Municipality

from . import actions
from .models import Event

PAST_SLUG = "forum-vielfalt-in-der-ausbildung"
UPCOMING_SLUG = "forum-zugang-zu-dienstleistungen"
PEOPLE = [
    ("Aylin Demir", "essen", "Kommunales Integrationszentrum Essen"),
    ("Jonas Albrecht", "bochum", "Stadt Bochum, Personalamt"),
    ("Mariam Haddad", "dortmund", "Verein Brückenbau e. V. (erfunden)"),
    ("Tobias Krüger", "herne", "Stadt Herne, Fachbereich Bildung"),
    ("Elif Yıldız", "duisburg", "Migrantenselbstorganisation Miteinander (erfunden)"),
    ("Sven Lorenz", "hagen", "Stadt Hagen, Organisationsentwicklung"),
    ("Nadia Petrović", "oberhausen", "Jobcenter Oberhausen"),
    ("Lukas Brandt", "gelsenkirchen", "Stadt Gelsenkirchen, Ausbildung"),
    ("Fatma Aksoy", "bottrop", "Integrationsrat Bottrop"),
    ("Paul Wegner", "muelheim-an-der-ruhr", "Stadt Mülheim an der Ruhr"),
    ("Ina Schäfer", None, "Hochschule Ruhr (erfunden)"),
    ("Kemal Öztürk", "essen", "Unternehmerverband Vielfalt (erfunden)"),
]
WAITING = [("Greta Hoffmann", None, "Stiftung Teilhabe (erfunden)"), ("Rami Nasser", "dortmund", ""), ("Olga Weber", "herne", "")]


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN)


def _email(name: str) -> str:
    local = name.lower().replace(" ", ".").replace("ı", "i").replace("ö", "oe").replace("ü", "ue").replace("ä", "ae")
    return "".join(c for c in local if c.isascii()) + "@teilnahme.example"


def _city(slug: str | None):
    return Municipality.objects.filter(slug=slug).first() if slug else None


def _sessions(start: dt.datetime) -> list[dict]:
    hour = dt.timedelta(hours=1)
    plenary = {"title": "Begrüßung und Impuls: Zehn Jahre interkulturelle Öffnung", "room": "Großer Saal"}
    rows = [{**plenary, "starts_at": start, "ends_at": start + hour, "speakers": "Geschäftsstelle der Städtekooperation"}]
    for n, (title, room) in enumerate(
        [
            ("Workshop A: Ausbildung und Personalgewinnung", "Raum 1"),
            ("Workshop B: Zugang zu Verwaltungsleistungen", "Raum 2"),
            ("Workshop C: Zusammenarbeit mit Migrantenorganisationen", "Raum 3"),
        ]
    ):
        rows.append(
            {
                "title": title,
                "room": room,
                "starts_at": start + (n * 1.5 + 1.5) * hour,
                "ends_at": start + (n * 1.5 + 2.75) * hour,
                "speakers": "Moderation aus den Mitgliedsstädten",
                "capacity": 30,
                "counts_for_certificate": True,
                "needs_choice": True,
            }
        )
    return rows


def _forum(office, slug: str, title: str, start: dt.datetime, capacity: int, **extra) -> Event:
    return actions.create_event(
        office,
        slug=slug,
        organisers=[office],
        sessions=_sessions(start),
        questions=[("Welche Erfahrung aus Ihrer Stadt möchten Sie einbringen?", False)],
        title=title,
        kind=Event.Kind.FORUM,
        description=(
            "Das Interkommunale Forum Integration bringt Verwaltung, Wirtschaft, Wissenschaft und Migrantenorganisationen "
            "aus den Mitgliedsstädten zusammen. Drei Workshops, Austausch und Ergebnisse für die Praxis."
        ),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=7),
        format=Event.Format.HYBRID,
        venue_name="Haus der Begegnung (erfunden)",
        venue_address="Beispielstraße 12, 45127 Essen",
        venue_accessibility=(
            "Stufenloser Eingang, Aufzug zu allen Räumen, barrierefreie Toiletten im Erdgeschoss, Induktionsschleife im "
            "Großen Saal. Haltestelle Essen Hbf, 400 m ebener Weg."
        ),
        online_url="https://konferenz.interkommunal.example/forum",
        capacity=capacity,
        registration_closes_at=start - dt.timedelta(days=3),
        min_sessions_for_certificate=2,
        certificate_signatory="Olga Beispiel, Geschäftsführung der Städtekooperation (erfunden)",
        is_published=True,
        **extra,
    )


def _past_forum(office) -> None:
    start = _at(40, 10)  # created as upcoming, moved to the past below
    event = _forum(office, PAST_SLUG, "Interkommunales Forum Integration: Vielfalt in der Ausbildung", start, 40)
    workshops = list(event.sessions.filter(needs_choice=True))
    for index, (name, city, organisation) in enumerate(PEOPLE):
        registration = actions.register(
            event,
            name=name,
            email=_email(name),
            organisation=organisation,
            municipality=_city(city),
            session_ids=[w.pk for w in workshops],
            photo=["agree", "group_only", "none"][index % 3],
        )
        if index == len(PEOPLE) - 1:
            continue  # did not come: no certificate
        actions.check_in(office, event, registration.code)
        attended = workshops if index % 4 else workshops[:1]  # every fourth person only one workshop: no certificate
        for workshop in attended:
            actions.check_in(office, event, registration.code, session=workshop)
    actions.walk_in(office, event, name="Hanna Spontan", organisation="Presse (erfunden)", municipality=_city("essen"))
    past = _at(-35, 10)
    shift = past - event.starts_at
    event.refresh_from_db()
    actions.update_event(
        office,
        event,
        event.version,
        starts_at=event.starts_at + shift,
        ends_at=event.ends_at + shift,
        registration_closes_at=event.registration_closes_at + shift,
    )
    event = Event.objects.get(pk=event.pk)
    for session in event.sessions.all():
        session.starts_at += shift
        session.ends_at += shift
        session.save(update_fields=["starts_at", "ends_at"])
    for registration in event.registrations.filter(checked_in_at__isnull=False):
        registration.checked_in_at += shift
        registration.save(update_fields=["checked_in_at"])
    for index, registration in enumerate(event.registrations.filter(checked_in_at__isnull=False)[:5]):
        actions.give_feedback(registration, rating=5 - index % 2, comment=["Sehr praxisnah.", ""][index % 2])
    _documentation(office, event)


def _photo(colours: tuple[tuple[int, int, int], ...]) -> bytes:
    """A small invented picture (coloured bands): the demo holds no photo of real people."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), colours[0])
    draw = ImageDraw.Draw(image)
    for index, colour in enumerate(colours[1:], start=1):
        draw.rectangle((0, index * 80, 480, index * 80 + 60), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _documentation(office, event: Event) -> None:
    """The past forum's published documentation: report, two presentations, two photos (one a crowd)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents import generate
    from documents.actions import upload

    def add(name: str, data: bytes, title: str):
        return upload(office, event.workspace, SimpleUploadedFile(name, data), title=title)

    keynote = add(
        "impuls-interkulturelle-oeffnung.pdf",
        generate.pdf(
            "Impuls: Interkulturelle Öffnung der Verwaltung",
            ["Wo stehen die Städte?", "Was trägt: Ausbildung, Personalgewinnung, Beratung.", "Nächste Schritte."],
        ),
        "Impuls: Interkulturelle Öffnung der Verwaltung",
    )
    workshop = add(
        "workshop-ausbildung.pdf",
        generate.pdf("Workshop: Ausbildung und Personalgewinnung", ["Beispiele aus Essen und Herne.", "Ergebnisse."]),
        "Ergebnisse Workshop Ausbildung",
    )
    plenum = add("plenum.png", _photo(((40, 70, 120), (200, 200, 210), (230, 180, 60))), "Plenum")
    podium = add("podium.png", _photo(((120, 40, 60), (240, 240, 240))), "Podium")
    documentation = actions.update_documentation(
        office,
        event,
        1,
        report=(
            "Rund vierzig Gäste aus zehn Städten, Migrantenorganisationen, Wirtschaft und Wissenschaft haben einen Tag lang "
            "über die interkulturelle Öffnung der Verwaltung gesprochen. Die drei Workshops haben Beispiele für Ausbildung, "
            "Personalgewinnung und Beratung gesammelt; die Ergebnisse fließen in die Wissensbasis ein.\n\n"
            "Fotos zeigen nur Personen, die eingewilligt haben, oder den Saal als Ganzes."
        ),
        licence="cc-by-4.0",
        attribution="Integration.Interkommunal",
    )
    actions.add_documentation_item(office, event, document=keynote, kind="presentation", credit="Geschäftsstelle")
    actions.add_documentation_item(office, event, document=workshop, kind="presentation")
    actions.add_documentation_item(
        office,
        event,
        document=plenum,
        kind="photo",
        alt_text="Blick von hinten in den vollen Saal während des Impulsvortrags",
        consent="crowd",
        credit="Geschäftsstelle",
        release=True,
    )
    actions.add_documentation_item(
        office,
        event,
        document=podium,
        kind="photo",
        alt_text="Drei Personen auf dem Podium, die Fotos zugestimmt haben",
        consent="consenting",
        credit="Geschäftsstelle",
        release=True,
    )
    actions.publish_documentation(office, documentation.event, True)


def _upcoming_forum(office) -> None:
    event = _forum(
        office,
        UPCOMING_SLUG,
        "Interkommunales Forum Integration: Zugang zu Dienstleistungen",
        _at(50, 10),
        len(PEOPLE) + 3,
        contingent_deadline=_at(20, 18),
    )
    for slug, coordinator in (("bochum", "Clara Koordination"), ("hagen", "Henrik Koordination")):
        contingent = actions.add_contingent(
            office,
            event,
            municipality=_city(slug),
            places=3,
            coordinator_name=f"{coordinator} (erfunden)",
            coordinator_email=f"koordination.{slug}@stadt.example",
        )
        if slug == "bochum":
            for name in ("Ben Nominiert", "Lea Nominiert"):
                actions.register(event, name=name, email=_email(name), organisation="Stadt Bochum", contingent=contingent)
    workshops = list(event.sessions.filter(needs_choice=True))
    for index, (name, city, organisation) in enumerate(PEOPLE[:9] + WAITING):
        needs = {"wheelchair": True} if index == 2 else {"sign_language": True} if index == 5 else {}
        if index == 7:
            needs = {"dietary": "vegetarisch"}
        actions.register(
            event,
            name=name,
            email=_email(name),
            organisation=organisation,
            municipality=_city(city),
            session_ids=[workshops[index % 3].pk],
            needs=needs,
            needs_consent=bool(needs),
            photo="group_only",
        )


@transaction.atomic
def load_demo_events() -> None:
    office = User.objects.filter(email="geschaeftsstelle@interkommunal.example").first()
    if office is None:
        return
    if not Event.objects.filter(slug=PAST_SLUG).exists():
        _past_forum(office)
    if not Event.objects.filter(slug=UPCOMING_SLUG).exists():
        _upcoming_forum(office)
