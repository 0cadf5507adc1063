"""Objections to circulated minutes are settled through an action with its audit entry; approval waits for them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from meetings.minutes import actions as minutes_actions
from meetings.models import Minutes, Objection

pytestmark = pytest.mark.django_db


@pytest.fixture
def circulated(held_meeting, office_user, django_capture_on_commit_callbacks):
    minutes = minutes_actions.minutes_for(held_meeting)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_actions.circulate_minutes(office_user, minutes)
    return minutes


def _minutes_url(minutes: Minutes) -> str:
    return f"/sitzungen/{minutes.meeting_id}/protokoll/"


def test_an_objection_is_recorded_in_the_audit_log(circulated, client_for):
    client_for("member").post(_minutes_url(circulated), {"op": "object", "text": "Das Ergebnis fehlt."})
    objection = Objection.objects.get(minutes=circulated)
    assert AuditEvent.objects.filter(action="meetings.minutes_objection", object_id=str(objection.pk)).exists()


def test_approval_waits_until_the_office_resolves_every_objection(circulated, client_for):
    member, office = client_for("member"), client_for("office")
    url = _minutes_url(circulated)
    approve = f"/sitzungen/{circulated.meeting_id}/protokoll/schritt/genehmigen/"
    member.post(url, {"op": "object", "text": "Das Ergebnis fehlt."})
    member.post(url, {"op": "object", "text": "Der Name ist falsch geschrieben."})
    first, second = Objection.objects.filter(minutes=circulated).order_by("pk")

    assert "Frist für Einwände läuft noch" in office.post(approve).content.decode()
    Minutes.objects.filter(pk=circulated.pk).update(objection_deadline=dt.date.today() - dt.timedelta(days=1))
    assert "offene Einwände" in office.post(approve).content.decode()
    assert Minutes.objects.get(pk=circulated.pk).status == Minutes.Status.CIRCULATED

    office.post(url, {"op": "resolve", "objection": first.pk})
    office.post(approve)
    assert Minutes.objects.get(pk=circulated.pk).status == Minutes.Status.CIRCULATED

    office.post(url, {"op": "resolve", "objection": second.pk})
    office.post(approve)
    assert Minutes.objects.get(pk=circulated.pk).status == Minutes.Status.APPROVED

    resolved = AuditEvent.objects.filter(action="meetings.minutes_objection_resolved", object_type="meetings.objection")
    assert sorted(resolved.values_list("object_id", flat=True)) == sorted([str(first.pk), str(second.pk)])
    assert resolved.first().actor.email == "office@test.example"


def test_a_member_cannot_resolve_an_objection(circulated, client_for):
    member = client_for("member")
    url = _minutes_url(circulated)
    member.post(url, {"op": "object", "text": "Das Ergebnis fehlt."})
    objection = Objection.objects.get(minutes=circulated)
    events = AuditEvent.objects.count()

    response = member.post(url, {"op": "resolve", "objection": objection.pk})

    assert response.status_code == 404
    assert not Objection.objects.get(pk=objection.pk).resolved
    assert AuditEvent.objects.count() == events


def test_an_objection_of_other_minutes_is_not_resolved(circulated, meeting, office_user, member_person, regiegruppe):
    from .conftest import held

    other_meeting = held(office_user, regiegruppe, days=40, items=[])
    other = minutes_actions.minutes_for(other_meeting)
    minutes_actions.circulate_minutes(office_user, other)
    foreign = minutes_actions.object_to_minutes(member_person, other, "Anderes Protokoll.")

    with pytest.raises(ValidationError):
        minutes_actions.resolve_objection(office_user, circulated, foreign.pk)
    assert not Objection.objects.get(pk=foreign.pk).resolved


def test_a_resolved_objection_cannot_be_resolved_twice(circulated, office_user, member_person):
    objection = minutes_actions.object_to_minutes(member_person, circulated, "Das Ergebnis fehlt.")
    minutes_actions.resolve_objection(office_user, circulated, objection.pk)
    with pytest.raises(ValidationError):
        minutes_actions.resolve_objection(office_user, circulated, objection.pk)
    assert AuditEvent.objects.filter(action="meetings.minutes_objection_resolved").count() == 1
