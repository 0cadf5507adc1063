"""The directory reads its pages through compiled statements (members/directory.py) and gives exactly what
the view's querysets give: the same people in the same order, the same count, the same seats, the same
HTML, for every persona and filter, and still after people, seats and the date change between requests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from lib import compiled as compiled_module
from members.directory import CompiledPeople
from members.forms import DirectoryFilterForm
from members.models import Body, Membership, Municipality, Person
from members.rendering import directory_rows
from members.views import _filter_key, _filtered_people

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

FILTERS = [
    {},
    {"q": "a"},
    {"q": "Member Bochum"},
    {"city": "bochum"},
    {"body": "projektteam"},
    {"city": "essen", "body": "regiegruppe", "role": "member"},
    {"department": "Integration"},
    {"q": "%_'\\"},  # LIKE's wildcards and quotes are searched for as they are
    {"city": "gibt-es-nicht"},  # an invalid filter: the form ignores all filters
]


def viewer(user):
    """The user as a new request loads it (nothing cached on the object)."""
    return AnonymousUser() if user is None else User.objects.get(pk=user.pk)


def reference(user, form) -> tuple[list[Person], int]:
    """The directory as the view's querysets read it, with the ORM."""
    seats = Membership.objects.current().select_related("body").order_by("body__name", "pk")
    people = _filtered_people(user, form).prefetch_related(Prefetch("memberships", seats, to_attr="current_memberships"))
    return list(people), people.count()


def seats_of(people) -> list[tuple]:
    return [[(m.role, m.body.name, m.body.short_name) for m in person.current_memberships] for person in people]


def assert_same(user, data: dict, page_size: int = 4):
    form = DirectoryFilterForm(data or None)
    expected, total = reference(user, form)
    listed = CompiledPeople(_filter_key(form), user, lambda bare: _filtered_people(bare, form))
    assert listed.count() == total
    for start in range(0, max(total, 1), page_size):
        page = listed[start : start + page_size]
        want = expected[start : start + page_size]
        assert [p.pk for p in page] == [p.pk for p in want], (data, start)
        assert seats_of(page) == seats_of(want), (data, start)
        for person in page + want:
            person.show_email = person.show_phone = True
        assert directory_rows(page) == directory_rows(want)
    assert listed[total : total + page_size] == []


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "guest", "member", "office", "admin"])
def test_every_page_equals_the_querysets_for_every_persona_and_filter(personas, persona):
    compiled_module.forget()
    for data in FILTERS:
        assert_same(viewer(personas[persona]), data)
        assert_same(viewer(personas[persona]), data)  # the second time from the kept statements
    assert compiled_module.stats()["hits"] > 0


def test_changes_between_requests_show_at_once(personas):
    member = personas["member"]
    compiled_module.forget()
    data = {"body": "projektteam"}
    assert_same(viewer(member), data)
    hits = compiled_module.stats()["hits"]

    # a new person with a seat, a profile hidden from members, a seat ended yesterday
    city = Municipality.objects.get(slug="herne")
    body = Body.objects.get(slug="projektteam")
    newcomer = Person.objects.create(given_name="Neue", family_name="Person", municipality=city, profile_visibility="members")
    Membership.objects.create(person=newcomer, body=body, role="member", municipality=city, start_date=timezone.localdate())
    hidden = Person.objects.filter(memberships__body=body, profile_visibility="members").exclude(pk=newcomer.pk).first()
    Person.objects.filter(pk=hidden.pk).update(profile_visibility="office")
    ending = Membership.objects.current().filter(body=body).exclude(person__in=[newcomer, hidden]).first()
    Membership.objects.filter(pk=ending.pk).update(end_date=timezone.localdate() - dt.timedelta(days=1))

    assert_same(viewer(member), data)
    assert compiled_module.stats()["hits"] > hits  # the kept statements were used, and they follow the data
    form = DirectoryFilterForm(data)
    listed = CompiledPeople(_filter_key(form), viewer(member), lambda bare: _filtered_people(bare, form))
    shown = {p.pk for p in listed[0 : listed.count()]}
    assert newcomer.pk in shown and hidden.pk not in shown and ending.person_id not in shown


def test_a_seat_that_ends_today_is_gone_tomorrow(personas):
    member = personas["member"]
    body = Body.objects.get(slug="projektteam")
    seat = Membership.objects.current().filter(body=body).exclude(person__user=member).first()
    today = timezone.localdate()
    Membership.objects.filter(pk=seat.pk).update(end_date=today)
    compiled_module.forget()
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(noon, tick=False):
        assert_same(viewer(member), {"body": "projektteam"})
        form = DirectoryFilterForm({"body": "projektteam"})
        listed = CompiledPeople(_filter_key(form), viewer(member), lambda bare: _filtered_people(bare, form))
        assert seat.person_id in {p.pk for p in listed[0 : listed.count()]}
    with time_machine.travel(noon + dt.timedelta(days=1), tick=False):
        assert_same(viewer(member), {"body": "projektteam"})
        listed = CompiledPeople(_filter_key(form), viewer(member), lambda bare: _filtered_people(bare, form))
        assert seat.person_id not in {p.pk for p in listed[0 : listed.count()]}


def test_the_page_shows_the_compiled_rows(client_for):
    """The directory page itself: same people and count as the querysets, on the first and a later page."""
    client = client_for("member")
    for query in ("", "?body=projektteam", "?q=a&seite=2"):
        html = client.get("/verzeichnis/" + query).content.decode()
        assert "Person gefunden" in html or "Personen gefunden" in html
