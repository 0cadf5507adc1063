import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from members.models import Body, Membership, Municipality, Person
from members.scale import generated_people

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


def generate(scale: int, seed: int = 1) -> None:
    call_command("generate_data", scale=scale, seed=seed, people_only=True, stdout=io.StringIO())


def test_scale_one_adds_twenty_people_with_one_current_seat_each():
    generate(1)

    people = generated_people()
    assert people.count() == 20
    assert Municipality.objects.count() == 10
    per_city = dict(people.order_by().values_list("municipality__slug").annotate(n=Count("pk")))
    assert per_city == dict.fromkeys(Municipality.objects.values_list("slug", flat=True), 2)
    current = Membership.objects.current().filter(person__in=people)
    assert current.count() == 20
    assert set(current.values_list("body__slug", flat=True)) == set(Body.objects.values_list("slug", flat=True))
    assert len(set(people.values_list("email", flat=True))) == 20
    assert all(email.endswith(f"@{slug}.example") for email, slug in people.values_list("email", "municipality__slug"))
    assert set(people.values_list("profile_visibility", flat=True)) > {"members"}


def test_deputies_represent_a_member_of_the_same_body_and_city():
    generate(5)

    deputies = Membership.objects.filter(person__in=generated_people(), role=Membership.Role.DEPUTY_MEMBER)
    assert deputies.exists()
    for seat in deputies.select_related("deputy_for"):
        assert seat.deputy_for.body_id == seat.body_id
        assert seat.deputy_for.municipality_id == seat.municipality_id
        assert seat.deputy_for.role == Membership.Role.MEMBER
        assert seat.deputy_for.person_id != seat.person_id


def test_history_keeps_ended_memberships():
    generate(5)

    ended = Membership.objects.filter(person__in=generated_people(), end_date__isnull=False)
    assert ended.exists()
    assert all(seat.end_date >= seat.start_date for seat in ended)


def test_running_again_tops_up_instead_of_duplicating():
    generate(1)
    first = set(generated_people().values_list("email", flat=True))
    people, seats = Person.objects.count(), Membership.objects.count()

    generate(1)
    assert (Person.objects.count(), Membership.objects.count()) == (people, seats)

    generate(2)
    assert generated_people().count() == 40
    assert first < set(generated_people().values_list("email", flat=True))


def test_same_seed_gives_the_same_people():
    generate(1, seed=7)
    emails = set(generated_people().values_list("email", flat=True))
    seats = Membership.objects.filter(person__in=generated_people())
    seats.filter(deputy_for__isnull=False).delete()
    seats.delete()
    generated_people().delete()

    generate(1, seed=7)
    assert set(generated_people().values_list("email", flat=True)) == emails
