"""Municipalities, people and memberships: German validation, nothing half-saved, every change audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent, ImmutableRecord
from members import actions
from members.models import Body, Membership, Municipality, Person

pytestmark = [pytest.mark.django_db]

NEW_CITY = {
    "name": "Stadt Recklinghausen",
    "short_name": "Recklinghausen",
    "ags": "05562032",
    "join_date": (dt.date.today() + dt.timedelta(days=60)).isoformat(),
    "status": "active",
}


def test_office_adds_an_eleventh_municipality_and_it_is_audited(client_for, personas):
    client = client_for("office")
    response = client.post("/verwaltung/kommunen/neu/", NEW_CITY)
    assert response.status_code == 302
    city = Municipality.objects.get(ags="05562032")
    assert city.slug == "recklinghausen"
    assert Municipality.objects.count() == 11
    event = AuditEvent.objects.get(action="municipality.created", object_id=str(city.pk))
    assert event.actor == personas["office"]
    assert event.after["ags"] == "05562032"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ags", "5562032", "genau 8 Ziffern"),
        ("ags", "9956203A", "genau 8 Ziffern"),
        ("ags", "99562032", "Land (01 bis 16)"),
        ("ags", "05911000", "bereits"),  # Bochum's key is taken
        ("join_date", "31.02.2026", "gültiges Datum"),
    ],
)
def test_invalid_municipality_input_gets_a_german_message_and_saves_nothing(client_for, field, value, message):
    response = client_for("office").post("/verwaltung/kommunen/neu/", {**NEW_CITY, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Municipality.objects.count() == 10
    assert not AuditEvent.objects.filter(action="municipality.created").exists()


def test_leave_date_before_join_date_is_refused(client_for):
    data = {**NEW_CITY, "status": "left", "left_on": (dt.date.today() - dt.timedelta(days=30)).isoformat()}
    html = client_for("office").post("/verwaltung/kommunen/neu/", data).content.decode()
    assert "Der Austritt kann nicht vor dem Beitritt liegen." in html
    assert not Municipality.objects.filter(ags="05562032").exists()


def test_membership_ending_before_it_starts_is_refused(client_for, personas):
    person = Person.objects.filter(user__isnull=True).first()
    body = Body.objects.get(slug="projektteam")
    response = client_for("office").post(
        f"/verwaltung/personen/{person.pk}/mitgliedschaften/neu/",
        {"body": body.pk, "role": "member", "start_date": "2025-05-01", "end_date": "2025-04-01"},
    )
    assert "Das Ende darf nicht vor dem Beginn liegen." in response.content.decode()
    assert not Membership.objects.filter(person=person, start_date=dt.date(2025, 5, 1)).exists()


def test_deputy_member_must_name_the_member_they_stand_in_for(personas):
    person = Person.objects.filter(user__isnull=True).first()
    with pytest.raises(ValidationError) as error:
        actions.add_membership(
            personas["office"],
            person=person,
            body=Body.objects.get(slug="regiegruppe"),
            role="deputy_member",
            start_date=dt.date(2025, 1, 1),
        )
    assert "deputy_for" in error.value.message_dict


def test_ending_a_membership_keeps_it_as_history_and_ends_its_deputies(personas):
    principal = Membership.objects.filter(role="member", deputies__isnull=False).first()
    deputy = principal.deputies.get()
    end = dt.date.today() + dt.timedelta(days=20)
    actions.end_membership(personas["office"], principal, end)
    principal.refresh_from_db()
    deputy.refresh_from_db()
    assert principal.end_date == end
    assert deputy.end_date == end
    assert Membership.objects.filter(pk=principal.pk).exists()
    assert AuditEvent.objects.filter(action="membership.ended").count() == 2


def test_overlapping_membership_in_the_same_body_is_refused(personas):
    seat = Membership.objects.filter(role="member", end_date__isnull=True).first()
    with pytest.raises(ValidationError) as error:
        actions.add_membership(personas["office"], person=seat.person, body=seat.body, role="member", start_date=dt.date.today())
    assert "bereits eine Mitgliedschaft" in str(error.value)


def test_granting_platform_admin_is_audited(personas):
    actions.set_platform_admin(personas["admin"], personas["member"], True)
    event = AuditEvent.objects.get(action="role.platform_admin.granted")
    assert event.before == {"is_superuser": False, "is_staff": False}
    assert event.after == {"is_superuser": True, "is_staff": True}


def test_audit_events_cannot_be_changed_or_deleted(personas):
    actions.set_platform_admin(personas["admin"], personas["member"], True)
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(ImmutableRecord):
        event.save()
    with pytest.raises(ImmutableRecord):
        event.delete()
    with pytest.raises(ImmutableRecord):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(ImmutableRecord):
        AuditEvent.objects.filter(pk=event.pk).delete()
    # Below the ORM, the database itself refuses (triggers).
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'tampered' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "role.platform_admin.granted"


def test_audit_log_is_readable_by_admins_only(client_for, personas):
    actions.set_platform_admin(personas["admin"], personas["member"], True)
    assert "role.platform_admin.granted" in client_for("admin").get("/verwaltung/protokoll/").content.decode()
    assert client_for("office").get("/verwaltung/protokoll/").status_code == 404


def test_second_save_from_a_stale_form_gets_a_conflict_and_overwrites_nothing(client_for):
    city = Municipality.objects.get(slug="hagen")
    form = {
        "name": city.name,
        "short_name": city.short_name,
        "ags": city.ags,
        "join_date": "2023-11-27",
        "council_decision_reference": city.council_decision_reference,
        "council_decision_date": "2023-09-21",
        "status": "active",
        "version": city.version,
    }
    first = client_for("office").post("/verwaltung/kommunen/hagen/bearbeiten/", {**form, "website": "https://erste.example"})
    assert first.status_code == 302
    second = client_for("office").post("/verwaltung/kommunen/hagen/bearbeiten/", {**form, "website": "https://zweite.example"})
    assert second.status_code == 409
    assert "inzwischen von jemand anderem geändert" in second.content.decode()
    assert "https://zweite.example" in second.content.decode()  # the editor's input is kept in the form
    city.refresh_from_db()
    assert city.website == "https://erste.example"
    assert city.version == form["version"] + 1
