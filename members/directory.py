"""The directory's result list, read through statements compiled once per viewer and filter.

The directory is the members' most used page. Its people are chosen by ``_filtered_people`` in the
view (visibility from ``people_visible_to``, the one rule for people, then the filters); building and
compiling that queryset, its count and the seats' prefetch cost the ORM more than PostgreSQL needs to
run them. Here the view's own querysets are compiled by :func:`lib.compiled.compiled`, keyed on the
viewer and the filter values, and run as they are:

* **count**: ``SELECT COUNT(*)`` over the compiled list without its order;
* **page**: the compiled list with ``LIMIT``/``OFFSET``, as the columns the list shows;
* **seats**: the current seats of the page's people, one compiled statement restricted to their ids.

Nothing about who may be seen is decided here: the statements are exactly what the view's querysets
compile to, and ``lib/compiled.py`` keeps them only under its rules (no query while building, no instant
in the parameters; the date is in the key, so "current today" seats and memberships renew at midnight).
``tests/members/test_directory_compiled.py`` compares every page with the plain querysets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from lib.compiled import compiled

from .models import Body, Membership, Municipality, Organisation, Person

# What a row of the list shows (members/rendering.py); the rest of a profile stays in the database.
PERSON_COLUMNS = (
    *("id", "user_id", "title", "given_name", "family_name", "function", "department"),
    *("email", "phone", "email_visibility", "phone_visibility", "municipality_id", "organisation_id"),
)
RELATED_COLUMNS = ("municipality__short_name", "organisation__name")
SEAT_COLUMNS = ("person_id", "role", "body__name", "body__short_name")


class CompiledPeople:
    """The filtered people as Django's paginator wants them (``count()`` and slices), read with the
    compiled statements; the page's people come with their municipality, organisation and seats."""

    ordered = True  # the list's order is part of the compiled statement

    def __init__(self, name: str, user: Any, people: Callable[[Any], QuerySet[Person]]) -> None:
        self._name, self._user, self._people = name, user, people
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            statement = compiled(f"{self._name}:count", self._user, lambda bare: self._people(bare).order_by().values("pk"))
            counting = f"SELECT COUNT(*) FROM ({statement[0]}) counted" if statement else ""  # noqa: S608 - SQL by the ORM
            self._count = _scalar(counting, statement[1]) if statement else 0
        return self._count

    def __getitem__(self, window: slice) -> list[Person]:
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("CompiledPeople takes a slice without step")
        start, stop = window.start or 0, window.stop
        statement = compiled(
            f"{self._name}:rows", self._user, lambda bare: self._people(bare).values_list(*PERSON_COLUMNS, *RELATED_COLUMNS)
        )
        if statement is None or (stop is not None and stop <= start):
            return []
        sql, params = statement
        limit = f" LIMIT {int(stop - start)}" if stop is not None else ""
        people = [_person(row) for row in _rows(f"{sql}{limit} OFFSET {int(start)}", params)]
        _attach_seats(people)
        return people


def _loaded(model: Any, values: dict[str, Any]) -> Any:
    """An instance as the ORM loads one with ``only(*values)``: the other fields are deferred.
    (``from_db`` takes the values in the model's field order.)"""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def _person(row: tuple[Any, ...]) -> Person:
    person: Person = _loaded(Person, dict(zip(PERSON_COLUMNS, row, strict=False)))
    short_name, organisation_name = row[len(PERSON_COLUMNS) :]
    municipality = _loaded(Municipality, {"id": person.municipality_id, "short_name": short_name})
    organisation = _loaded(Organisation, {"id": person.organisation_id, "name": organisation_name})
    Person.municipality.field.set_cached_value(person, municipality if person.municipality_id else None)
    Person.organisation.field.set_cached_value(person, organisation if person.organisation_id else None)
    return person


def _attach_seats(people: list[Person]) -> None:
    """``person.current_memberships``: today's seats, by the body's name (as the view's prefetch had them)."""
    for person in people:
        person.current_memberships = []  # type: ignore[attr-defined]
    if not people:
        return
    statement = compiled(
        "directory:seats",
        None,
        lambda _: Membership.objects.current().order_by("body__name", "pk").values_list(*SEAT_COLUMNS),
    )
    if statement is None:
        return
    sql, params = statement
    marks = ", ".join(["%s"] * len(people))
    seats: dict[int, list[Membership]] = defaultdict(list)
    # The compiled statement as a derived table, narrowed to the page's people; the order is kept in Python.
    narrowed = f"SELECT * FROM ({sql}) seats WHERE seats.person_id IN ({marks})"  # noqa: S608 - SQL by the ORM, ids as parameters
    rows = _rows(narrowed, (*params, *(p.pk for p in people)))
    for person_id, role, body_name, body_short_name in sorted(rows, key=lambda row: row[2]):
        seat = _loaded(Membership, {"person_id": person_id, "role": role})
        body = _loaded(Body, {"name": body_name, "short_name": body_short_name})
        Membership.body.field.set_cached_value(seat, body)
        seats[person_id].append(seat)
    for person in people:
        person.current_memberships = seats.get(person.pk, [])  # type: ignore[attr-defined]


def _scalar(sql: str, params: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _rows(sql: str, params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
