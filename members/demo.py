"""Demo data of the cooperation: the real ten cities and bodies, invented people only.

Facts (cities, dates, AGS, population figures with sources) come from
shared/domain.md and shared/reference/monitoring.md. Every person is invented.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.db import transaction

from .models import Body, Cooperation, Membership, Municipality, Person, PopulationFigure

D = dt.date
CONTRACT = "Kontrakt „Interkulturelle Städteregion Ruhr“"

# short name, official name, slug, AGS, join date, contract signature, council decision ref, date, website
CITIES = [
    ("Bochum", "Stadt Bochum", "bochum", "05911000", D(2010, 5, 28), D(2010, 5, 28), "", None, "https://www.bochum.de"),
    ("Dortmund", "Stadt Dortmund", "dortmund", "05913000", D(2010, 5, 28), D(2010, 5, 28), "", None, "https://www.dortmund.de"),
    ("Duisburg", "Stadt Duisburg", "duisburg", "05112000", D(2010, 5, 28), D(2010, 5, 28), "", None, "https://www.duisburg.de"),
    ("Essen", "Stadt Essen", "essen", "05113000", D(2010, 5, 28), D(2010, 5, 28), "", None, "https://www.essen.de"),
    (
        "Mülheim an der Ruhr",
        "Stadt Mülheim an der Ruhr",
        "muelheim-an-der-ruhr",
        "05117000",
        D(2010, 5, 28),
        D(2010, 5, 28),
        "",
        None,
        "https://www.muelheim-ruhr.de",
    ),
    (
        "Oberhausen",
        "Stadt Oberhausen",
        "oberhausen",
        "05119000",
        D(2010, 5, 28),
        D(2010, 5, 28),
        "",
        None,
        "https://www.oberhausen.de",
    ),
    (
        "Gelsenkirchen",
        "Stadt Gelsenkirchen",
        "gelsenkirchen",
        "05513000",
        D(2010, 10, 26),
        D(2010, 10, 26),
        "",
        None,
        "https://www.gelsenkirchen.de",
    ),
    ("Herne", "Stadt Herne", "herne", "05916000", D(2013, 3, 26), D(2013, 3, 26), "", None, "https://www.herne.de"),
    ("Bottrop", "Stadt Bottrop", "bottrop", "05512000", D(2015, 9, 2), D(2015, 9, 2), "", None, "https://www.bottrop.de"),
    (
        "Hagen",
        "Stadt Hagen",
        "hagen",
        "05914000",
        D(2023, 11, 27),
        D(2023, 11, 27),
        "Drucksache 0569/2023",
        D(2023, 9, 21),
        "https://www.hagen.de",
    ),
]

ZENSUS = "Zensus 2022 (Stichtag 15.05.2022)"
FORTSCHREIBUNG = "IT.NRW, Bevölkerungsfortschreibung auf Basis des Zensus 2022"
POPULATION = [
    ("bochum", D(2022, 5, 15), 354_288, ZENSUS + ", nach Radio Bochum"),
    ("bochum", D(2024, 12, 31), 358_676, FORTSCHREIBUNG),
    ("dortmund", D(2022, 5, 15), 598_255, ZENSUS + ", IT.NRW 25.06.2024"),
    ("dortmund", D(2024, 12, 31), 603_462, FORTSCHREIBUNG),
    ("duisburg", D(2024, 12, 31), 502_270, FORTSCHREIBUNG),
    ("essen", D(2022, 5, 15), 571_058, ZENSUS + ", IT.NRW 25.06.2024"),
    ("essen", D(2024, 12, 31), 574_682, FORTSCHREIBUNG),
    ("gelsenkirchen", D(2024, 12, 31), 267_930, FORTSCHREIBUNG),
    ("hagen", D(2022, 5, 15), 189_614, ZENSUS + ", nach Westfalenpost"),
    ("herne", D(2024, 12, 31), 155_851, FORTSCHREIBUNG),
    ("muelheim-an-der-ruhr", D(2022, 5, 15), 171_435, ZENSUS + ", Stadt Mülheim an der Ruhr"),
    ("oberhausen", D(2024, 12, 31), 213_646, FORTSCHREIBUNG),
]

BODIES = [
    (
        "Regiegruppe",
        "RG",
        "regiegruppe",
        Body.Kind.STEERING_GROUP,
        2,
        3,
        True,
        "Steuerungsebene aus Dezernent*innen und Leitungen der Integrationsressorts: interkommunaler Austausch, "
        "Verabredungen zu Gemeinschaftsprojekten, Foren und gemeinsamen Veranstaltungen, Transfer in die eigene Verwaltung.",
    ),
    (
        "Projektteam",
        "PT",
        "projektteam",
        Body.Kind.PROJECT_TEAM,
        3,
        4,
        True,
        "Arbeitsebene aus Mitarbeiter*innen der Kommunalen Integrationszentren, je nach Thema mit dem Personalmanagement: "
        "Planung und Umsetzung gemeinsamer Projekte, Transfer der Ergebnisse, gegenseitige fachliche Unterstützung.",
    ),
    (
        "Geschäftsführung",
        "GF",
        "geschaeftsfuehrung",
        Body.Kind.MANAGING_OFFICE,
        0,
        0,
        False,
        "Ansprechstelle für Externe, Terminierung und Protokolle der Gremien, Einladungen, Unterstützung der Sprecher*in, "
        "Drittmittelanträge und Mittelverwaltung, Internetauftritt und Jahresberichte an die Landesinitiative.",
    ),
]

GIVEN = [
    "Anna",
    "Ben",
    "Canan",
    "David",
    "Elif",
    "Felix",
    "Greta",
    "Hakan",
    "Ines",
    "Jonas",
    "Katarzyna",
    "Lukas",
    "Mira",
    "Nikolai",
    "Olga",
    "Paul",
    "Rana",
    "Sven",
    "Tülay",
    "Umut",
    "Vera",
    "Wiebke",
    "Yusuf",
    "Zoe",
    "Aylin",
    "Bastian",
    "Dragana",
    "Emre",
    "Fatma",
    "Goran",
    "Hannah",
    "Jelena",
    "Kemal",
    "Leonie",
    "Mehmet",
    "Nina",
]
FAMILY = [
    "Albers",
    "Brinkmann",
    "Çelik",
    "Dąbrowski",
    "Engel",
    "Fuchs",
    "Gashi",
    "Hoffmeister",
    "Ilić",
    "Jansen",
    "Kaya",
    "Lindner",
    "Mertens",
    "Nowak",
    "Özdemir",
    "Petrović",
    "Quast",
    "Richter",
    "Schäfer",
    "Tekin",
    "Ulrich",
    "Voss",
    "Wagner",
    "Yıldız",
    "Zimmer",
    "Arslan",
    "Becker",
    "Demir",
    "Esser",
    "Frahm",
    "Günther",
    "Hartmann",
    "Ivanova",
    "Jovanović",
    "Krüger",
    "Lehmann",
]
DEPARTMENTS = [
    "Kommunales Integrationszentrum",
    "Fachbereich Personal und Organisation",
    "Amt für Zuwanderung und Integration",
    "Personalentwicklung",
    "Ausbildung und Nachwuchsgewinnung",
    "Gleichstellungsstelle",
]
FUNCTIONS = [
    "Leitung",
    "Sachbearbeitung",
    "Referent*in",
    "Koordination Interkulturelle Öffnung",
    "Personalentwicklung",
    "Ausbildungsleitung",
]

DEMO_PASSWORD = "Vielfalt-schafft-Zukunft-2026"
CONTENT_DIR = Path(__file__).resolve().parent.parent / "website" / "content"


def _mail_domain(slug: str) -> str:
    return f"{slug}.example"


@transaction.atomic
def load_demo(*, people_per_city: tuple[int, int] = (3, 6), seed: int = 2026) -> dict:
    """Create the demo. Idempotent: a second call leaves existing data alone."""
    from website.demo import load_pages

    load_pages()
    if Municipality.objects.exists():
        return {"created": False}
    rng = random.Random(seed)
    cities = {}
    for short, name, slug, ags, joined, signed, ref, ref_date, web in CITIES:
        cities[slug] = Municipality.objects.create(
            name=name,
            short_name=short,
            slug=slug,
            ags=ags,
            join_date=joined,
            contract_signed_on=signed,
            council_decision_reference=ref,
            council_decision_date=ref_date,
            website=web,
            integration_centre_name=f"Kommunales Integrationszentrum {short}",
            integration_centre_email=f"ki@{_mail_domain(slug)}",
            integration_centre_phone=f"+49 {rng.randint(200, 299)} {rng.randint(1000, 9999)}-0",
        )
    for slug, when, total, source in POPULATION:
        PopulationFigure.objects.create(municipality=cities[slug], reference_date=when, total=total, source=source)
    cooperation = Cooperation.objects.create(
        name="Städtekooperation Integration.Interkommunal",
        short_name="Integration.Interkommunal",
        motto="Vielfalt schafft Zukunft",
        contract_name=CONTRACT,
        contract_date=D(2010, 5, 28),
        legal_form="öffentlich-rechtliche Vereinbarung",
        financing="Kostenverteilung unter den Mitgliedern",
        managing_municipality=cities["essen"],
        email="geschaeftsstelle@interkommunal.example",
    )
    bodies = {}
    for name, short, slug, kind, lo, hi, rotating, purpose in BODIES:
        bodies[slug] = Body.objects.create(
            cooperation=cooperation,
            name=name,
            short_name=short,
            slug=slug,
            kind=kind,
            meetings_per_year_min=lo,
            meetings_per_year_max=hi,
            rotating_host=rotating,
            purpose=purpose,
        )
    names = [(g, f) for g in GIVEN for f in FAMILY]
    rng.shuffle(names)
    used = 0
    for city in cities.values():
        count = rng.randint(*people_per_city)
        for index in range(count):
            given, family = names[used]
            used += 1
            person = _person(rng, given, family, city)
            body = bodies["regiegruppe"] if index == 0 else bodies["projektteam"]
            role = Membership.Role.MEMBER
            start = max(city.join_date, D(2019, 1, 1))
            Membership.objects.create(person=person, body=body, role=role, municipality=city, start_date=start)
            if index == 1 and count > 3:
                deputy_given, deputy_family = names[used]
                used += 1
                deputy = _person(rng, deputy_given, deputy_family, city)
                Membership.objects.create(
                    person=deputy,
                    body=bodies["regiegruppe"],
                    role=Membership.Role.DEPUTY_MEMBER,
                    municipality=city,
                    deputy_for=Membership.objects.get(body=bodies["regiegruppe"], municipality=city, role=Membership.Role.MEMBER),
                    start_date=start,
                )
    # A speaker from Herne, the managing office in Essen; both with public contacts.
    speaker_seat = Membership.objects.filter(body=bodies["regiegruppe"], municipality=cities["herne"]).first()
    speaker_seat.role = Membership.Role.SPEAKER
    speaker_seat.save(update_fields=["role"])
    Person.objects.filter(pk=speaker_seat.person_id).update(
        profile_visibility="public", email_visibility="public", phone_visibility="public", function="Sprecherin der Regiegruppe"
    )
    # History: a former member of the project team whose seat ended.
    former = Membership.objects.filter(body=bodies["projektteam"], municipality=cities["bochum"]).first()
    if former:
        former.start_date = D(2019, 1, 1)
        former.end_date = D(2024, 6, 30)
        former.save(update_fields=["start_date", "end_date"])
    return {"created": True, "bodies": bodies, "cities": cities}


def _person(rng: random.Random, given: str, family: str, city: Municipality) -> Person:
    local = f"{given}.{family}".lower()
    for src, dst in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("ß", "ss"),
        ("ç", "c"),
        ("ı", "i"),
        ("ą", "a"),
        ("ć", "c"),
        ("ş", "s"),
        ("ğ", "g"),
    ):
        local = local.replace(src, dst)
    return Person.objects.create(
        salutation=rng.choice(["frau", "herr", "neutral", ""]),
        given_name=given,
        family_name=family,
        municipality=city,
        department=rng.choice(DEPARTMENTS),
        function=rng.choice(FUNCTIONS),
        email=f"{local}@{_mail_domain(city.slug)}",
        phone=f"+49 {rng.randint(200, 299)} {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        profile_visibility="members",
        email_visibility="members",
        phone_visibility="members",
    )


# Demo logins, one per persona. Passwords are for the local demo only.
PERSONAS = [
    ("admin@interkommunal.example", "Plattform-Administration", True),
    ("geschaeftsstelle@interkommunal.example", "Geschäftsführung", True),
    ("sprecherin@interkommunal.example", "Sprecherin der Regiegruppe (Gremienmitglied)", False),
    ("projektteam@interkommunal.example", "Mitglied im Projektteam", False),
    ("gast@interkommunal.example", "externer Gast", False),
]
# Fixed TOTP secrets for the demo personas that must use MFA (base32). Never used outside the demo.
DEMO_TOTP_SECRETS = {
    "admin@interkommunal.example": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "geschaeftsstelle@interkommunal.example": "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
}


@transaction.atomic
def load_demo_accounts() -> list[tuple[str, str, str | None]]:
    """Accounts for the personas; idempotent. Returns (email, label, totp secret) rows for the start banner."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.models import User

    from .models import Organisation

    essen = Municipality.objects.get(slug="essen")
    herne = Municipality.objects.get(slug="herne")
    office_body = Body.objects.get(kind=Body.Kind.MANAGING_OFFICE)
    project_team = Body.objects.get(kind=Body.Kind.PROJECT_TEAM)
    rows = []
    for email, label, needs_mfa in PERSONAS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, is_superuser=email.startswith("admin@"), is_staff=email.startswith("admin@")
            )
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            if email.startswith("geschaeftsstelle@"):
                person = Person.objects.create(
                    salutation="frau",
                    given_name="Marlene",
                    family_name="Gerdes",
                    municipality=essen,
                    department="Geschäftsstelle der Städtekooperation",
                    function="Geschäftsführung",
                    email=email,
                    phone="+49 201 555-0100",
                    user=user,
                    profile_visibility="public",
                    email_visibility="public",
                    phone_visibility="public",
                )
                Membership.objects.create(
                    person=person,
                    body=office_body,
                    role=Membership.Role.MANAGING_OFFICE,
                    municipality=essen,
                    start_date=D(2024, 1, 1),
                )
            elif email.startswith("sprecherin@"):
                seat = (
                    Membership.objects.filter(role=Membership.Role.SPEAKER, municipality=herne).select_related("person").first()
                )
                Person.objects.filter(pk=seat.person_id).update(user=user)
            elif email.startswith("projektteam@"):
                seat = (
                    Membership.objects.current()
                    .filter(body=project_team, municipality__slug="dortmund", person__user__isnull=True)
                    .first()
                )
                Person.objects.filter(pk=seat.person_id).update(user=user)
            elif email.startswith("gast@"):
                org, _ = Organisation.objects.get_or_create(
                    name="Landesinitiative „Erfolgsfaktor Interkulturelle Öffnung“ (Demo)"
                )
                person = Person.objects.create(
                    given_name="Theo", family_name="Gastmann", organisation=org, function="Referent", email=email, user=user
                )
                Membership.objects.create(person=person, body=project_team, role=Membership.Role.GUEST, start_date=D(2025, 1, 1))
        secret = DEMO_TOTP_SECRETS.get(email) if needs_mfa else None
        if secret and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, secret)
        rows.append((email, label, secret))
    return rows
