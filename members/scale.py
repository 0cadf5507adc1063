"""Synthetic members data at scale, for benchmarks and for trying the platform with realistic volume.

On top of the demo (the ten cities, three bodies, a few people) ``generate(scale)`` adds
``20 × scale`` invented people with their seats. Person ``i`` is derived from ``(seed, i)``
alone, so a run tops up to the target instead of doubling, and scale 1 is the first slice of
scale 100. Generated people are recognisable by the index in their e-mail address
(``anna.albers.00042@essen.example``); all names are random combinations of invented lists.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from .demo import CITIES, DEPARTMENTS, FAMILY, FUNCTIONS, GIVEN, load_demo
from .models import Body, Membership, Municipality, Person, Visibility

PEOPLE_PER_SCALE = 20
BATCH_SIZE = 500
GENERATED_EMAIL = re.compile(r"\.(\d{5,})@[a-z0-9-]+\.example$")
_GENERATED_EMAIL_SQL = r"\.[0-9]{5,}@[a-z0-9-]+\.example$"

MORE_GIVEN = [
    "Amira",
    "Bernd",
    "Carla",
    "Deniz",
    "Emil",
    "Frieda",
    "Gülsüm",
    "Henrik",
    "Irina",
    "Jakob",
    "Kübra",
    "Lars",
    "Marta",
    "Nils",
    "Oksana",
    "Pia",
    "Ralf",
    "Selin",
    "Tobias",
    "Ursula",
    "Viktor",
    "Yasemin",
    "Zeynep",
    "Milan",
]
MORE_FAMILY = [
    "Aydın",
    "Bauer",
    "Cichon",
    "Dietrich",
    "Erdem",
    "Fischer",
    "Grabowski",
    "Heinen",
    "Işık",
    "Janssen",
    "Kowalski",
    "Lorenz",
    "Meier",
    "Neumann",
    "Öztürk",
    "Pohl",
    "Reuter",
    "Şahin",
    "Thiel",
    "Uysal",
    "Vogt",
    "Weber",
    "Yılmaz",
    "Ziegler",
]
GIVEN_NAMES = GIVEN + MORE_GIVEN
FAMILY_NAMES = FAMILY + MORE_FAMILY

CITY_SLUGS = [row[2] for row in CITIES]
PROJECT_TEAM, STEERING_GROUP, MANAGING_OFFICE = "projektteam", "regiegruppe", "geschaeftsfuehrung"
# Body of each seat pair, cycled. Nine is coprime to the ten cities, so every city meets every body;
# the project team is the largest body, the managing office the smallest.
BODY_CYCLE = [PROJECT_TEAM, STEERING_GROUP, PROJECT_TEAM, PROJECT_TEAM, STEERING_GROUP, PROJECT_TEAM, MANAGING_OFFICE]
BODY_CYCLE += [PROJECT_TEAM, STEERING_GROUP]

EARLIEST_SEAT = dt.date(2019, 1, 1)
LATEST_SEAT = dt.date(2025, 6, 30)
EARLIEST_HISTORY = dt.date(2012, 1, 1)

_MAIL_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ł": "l", "đ": "d"})


def generated_people() -> QuerySet[Person]:
    """The people this module created (recognised by the index in their e-mail address)."""
    return Person.objects.filter(email__regex=_GENERATED_EMAIL_SQL)


def target_people(scale: int) -> int:
    return PEOPLE_PER_SCALE * scale


@dataclass(frozen=True)
class PairPlan:
    """Two people sharing a seat: a principal and a second person (mostly the principal's deputy)."""

    city_slug: str
    body_slug: str
    principal_role: str
    second_role: str
    start_date: dt.date
    second_start_date: dt.date


@dataclass(frozen=True)
class Identity:
    given_name: str
    family_name: str
    email: str


def _rng(seed: int, kind: str, index: int) -> random.Random:
    # String seeds are hashed with SHA-512, so the stream is the same on every machine and run.
    return random.Random(f"interkommunal-scale:{seed}:{kind}:{index}")


def _mail_part(name: str) -> str:
    text = name.lower().translate(_MAIL_SPELLING)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _days_after(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A random day in [start, end] (start if the range is empty)."""
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def pair_plan(seed: int, pair: int, join_dates: dict[str, dt.date]) -> PairPlan:
    rng = _rng(seed, "pair", pair)
    city_slug = CITY_SLUGS[pair % len(CITY_SLUGS)]
    body_slug = BODY_CYCLE[pair % len(BODY_CYCLE)]
    roll = rng.random()
    if body_slug == MANAGING_OFFICE:
        principal = Membership.Role.MANAGING_OFFICE
        second = Membership.Role.MANAGING_OFFICE if roll < 0.5 else Membership.Role.GUEST
    else:
        principal = Membership.Role.MEMBER
        if roll < 0.7:
            second = Membership.Role.DEPUTY_MEMBER
        elif roll < 0.85:
            second = Membership.Role.GUEST
        else:
            second = Membership.Role.MEMBER
    start = _days_after(rng, max(join_dates[city_slug], EARLIEST_SEAT), LATEST_SEAT)
    second_start = _days_after(rng, start, min(start + dt.timedelta(days=365), LATEST_SEAT))
    return PairPlan(city_slug, body_slug, principal, second, start, second_start)


def identity(seed: int, index: int, city_slug: str) -> Identity:
    rng = _rng(seed, "name", index)
    given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
    return Identity(given, family, f"{_mail_part(given)}.{_mail_part(family)}.{index:05d}@{city_slug}.example")


def _visibility_at_most(rng: random.Random, profile: str) -> str:
    """A contact visibility no wider than the profile's, usually the same."""
    order = [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.OFFICE]
    narrower = order[order.index(Visibility(profile)) :]
    return narrower[0] if rng.random() < 0.7 else rng.choice(narrower)


def _person(seed: int, index: int, city: Municipality) -> Person:
    rng = _rng(seed, "person", index)
    who = identity(seed, index, city.slug)
    profile = rng.choices([Visibility.PUBLIC, Visibility.MEMBERS, Visibility.OFFICE], weights=[25, 65, 10])[0]
    return Person(
        salutation=rng.choice(["frau", "herr", "neutral", ""]),
        title="Dr." if rng.random() < 0.08 else "",
        given_name=who.given_name,
        family_name=who.family_name,
        municipality=city,
        department=rng.choice(DEPARTMENTS),
        function=rng.choice(FUNCTIONS),
        email=who.email,
        phone=f"+49 {rng.randint(200, 299)} {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        mobile=f"+49 1{rng.randint(50, 79)} {rng.randint(1000000, 9999999)}" if rng.random() < 0.3 else "",
        profile_visibility=profile,
        email_visibility=_visibility_at_most(rng, profile),
        phone_visibility=_visibility_at_most(rng, profile),
        is_active=rng.random() >= 0.03,
    )


def _history(
    seed: int, index: int, plan: PairPlan, city: Municipality, body_by_slug: dict[str, Body], current_start: dt.date
) -> Membership | None:
    """About one in seven people held an earlier seat in another body that has ended."""
    rng = _rng(seed, "history", index)
    if rng.random() >= 0.15:
        return None
    earliest = max(city.join_date, EARLIEST_HISTORY)
    latest_end = current_start - dt.timedelta(days=30)
    if latest_end <= earliest + dt.timedelta(days=60):
        return None
    start = _days_after(rng, earliest, earliest + (latest_end - earliest) / 2)
    end = _days_after(rng, start + dt.timedelta(days=30), latest_end)
    other = STEERING_GROUP if plan.body_slug == PROJECT_TEAM else PROJECT_TEAM
    return Membership(
        body=body_by_slug[other],
        role=Membership.Role.MEMBER,
        municipality=city,
        start_date=start,
        end_date=end,
        note="Historie",
    )


def _existing_indices() -> set[int]:
    indices = set()
    for email in generated_people().values_list("email", flat=True).iterator(chunk_size=2000):
        match = GENERATED_EMAIL.search(email)
        if match:
            indices.add(int(match.group(1)))
    return indices


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _principal_seat_id(seed: int, principal_index: int, plan: PairPlan) -> int | None:
    """The principal's current seat, for a deputy whose principal was created in an earlier run or batch."""
    email = identity(seed, principal_index, plan.city_slug).email
    return (
        Membership.objects.filter(
            person__email=email, body__slug=plan.body_slug, role=Membership.Role.MEMBER, end_date__isnull=True
        )
        .values_list("pk", flat=True)
        .first()
    )


def _refresh_planner_statistics() -> None:
    """Refresh row estimates right after a bulk load.

    Until autovacuum analyses the tables (up to a minute later) PostgreSQL plans as if they were nearly
    empty and picks nested loops that make the filtered directory about forty times slower.
    """
    tables = [connection.ops.quote_name(model._meta.db_table) for model in (Person, Membership)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


@transaction.atomic
def generate(scale: int, seed: int = 1) -> dict:
    """Top the generated people up to ``20 × scale`` (never removes any); return what was done."""
    if scale < 0:
        raise ValueError("scale must not be negative")
    load_demo()
    cities = {city.slug: city for city in Municipality.objects.filter(slug__in=CITY_SLUGS)}
    bodies = {body.slug: body for body in Body.objects.filter(slug__in=BODY_CYCLE)}
    join_dates = {slug: city.join_date for slug, city in cities.items()}
    target = target_people(scale)
    existing = _existing_indices()
    missing = [index for index in range(target) if index not in existing]
    created_memberships = 0
    for chunk in _chunks(missing, BATCH_SIZE):
        plans = {index: pair_plan(seed, index // 2, join_dates) for index in chunk}
        people = [_person(seed, index, cities[plans[index].city_slug]) for index in chunk]
        Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
        if any(person.pk is None for person in people):
            pks = dict(Person.objects.filter(email__in=[p.email for p in people]).values_list("email", "pk"))
            for person in people:
                person.pk = pks[person.email]
        person_by_index = dict(zip(chunk, people, strict=True))

        seats: dict[int, Membership] = {}
        history: list[Membership] = []
        deputies: list[int] = []
        for index, person in person_by_index.items():
            plan = plans[index]
            city = cities[plan.city_slug]
            principal = index % 2 == 0
            role = plan.principal_role if principal else plan.second_role
            start = plan.start_date if principal else plan.second_start_date
            if role == Membership.Role.DEPUTY_MEMBER:
                deputies.append(index)
            else:
                seats[index] = Membership(
                    person=person, body=bodies[plan.body_slug], role=role, municipality=city, start_date=start
                )
            earlier = _history(seed, index, plan, city, bodies, start)
            if earlier is not None:
                earlier.person = person
                history.append(earlier)
        Membership.objects.bulk_create(list(seats.values()), batch_size=BATCH_SIZE)

        deputy_seats = []
        for index in deputies:
            plan = plans[index]
            principal_seat = seats.get(index - 1)
            principal_id = (principal_seat.pk if principal_seat else None) or _principal_seat_id(seed, index - 1, plan)
            deputy_seats.append(
                Membership(
                    person=person_by_index[index],
                    body=bodies[plan.body_slug],
                    role=Membership.Role.DEPUTY_MEMBER if principal_id else Membership.Role.MEMBER,
                    deputy_for_id=principal_id,
                    municipality=cities[plan.city_slug],
                    start_date=plan.second_start_date,
                )
            )
        Membership.objects.bulk_create(deputy_seats + history, batch_size=BATCH_SIZE)
        created_memberships += len(seats) + len(deputy_seats) + len(history)
    if missing:
        _refresh_planner_statistics()
    return {
        "scale": scale,
        "seed": seed,
        "target_people": target,
        "existing_people": len(existing),
        "created_people": len(missing),
        "created_memberships": created_memberships,
        "generated_people": len(existing) + len(missing),
    }
