"""Registration, the waiting list, contingents and approval, through the actions and the public pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from events import actions, housekeeping, links
from events.models import Registration
from members.models import Municipality
from notifications.models import EventAttachment, Outbox
from tests.events.conftest import make_forum

pytestmark = pytest.mark.django_db
Status = Registration.Status


def register(event, name, **kwargs):
    email = kwargs.pop("email", f"{name.lower().replace(' ', '.')}@example.org")
    return actions.register(event, name=name, email=email, **kwargs)


def mails_to(address: str, verb: str):
    return Outbox.objects.filter(to_email=address, event__verb=verb)


def test_confirmation_mail_carries_an_icalendar_request(forum):
    registration = register(forum, "Ada Beispiel")
    assert registration.status == Status.CONFIRMED
    mail = mails_to("ada.beispiel@example.org", "events.confirmed").get()
    assert links.registration_url(registration) in mail.text
    ics = EventAttachment.objects.get(event=mail.event)
    assert ics.mimetype == "text/calendar"
    body = bytes(ics.content).decode()
    assert "METHOD:REQUEST" in body and forum.uid in body and "Forum Integration (Test)" in body


def test_full_event_puts_people_on_the_waiting_list_in_order(forum):
    for name in ("Anna A", "Bernd B", "Cem C"):
        assert register(forum, name).status == Status.CONFIRMED
    first = register(forum, "Dana D")
    second = register(forum, "Emil E")
    assert (first.status, second.status) == (Status.WAITING, Status.WAITING)
    assert mails_to("dana.d@example.org", "events.received").exists()
    assert actions.places_of(forum)["free"] == 0


def test_waiting_list_offer_expires_and_passes_on_with_frozen_time(forum):
    people = [register(forum, name) for name in ("Anna A", "Bernd B", "Cem C", "Dana D", "Emil E")]
    dana, emil = people[3], people[4]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        actions.cancel(people[0])
        dana.refresh_from_db()
        assert dana.status == Status.OFFERED
        assert dana.offer_expires_at == timezone.now() + dt.timedelta(hours=48)
        assert mails_to("dana.d@example.org", "events.offered").exists()
        clock.shift(dt.timedelta(hours=47))
        assert housekeeping.run()["expired"] == 0
        clock.shift(dt.timedelta(hours=2))
        result = housekeeping.run()
        assert result["expired"] == 1 and result["offered"] == 1
        dana.refresh_from_db()
        emil.refresh_from_db()
        assert dana.status == Status.EXPIRED and emil.status == Status.OFFERED
        with pytest.raises(ValidationError, match="abgelaufen"):
            actions.accept_offer(dana)
        actions.accept_offer(emil)
        emil.refresh_from_db()
        assert emil.status == Status.CONFIRMED
    held = Registration.objects.filter(event=forum, status__in=[Status.CONFIRMED, Status.PENDING, Status.OFFERED]).count()
    assert held == 3


def test_double_registration_gets_a_message_and_the_link_by_mail_only(forum, client):
    first = register(forum, "Ada Beispiel")
    response = client.post(
        forum.get_absolute_url(), {"name": "Ada Zweitversuch", "email": "ADA.beispiel@example.org ", "photo": "none"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "besteht bereits eine Anmeldung" in page
    assert links.registration_token(first) not in page
    mail = mails_to("ada.beispiel@example.org", "events.existing").get()
    assert links.registration_url(first) in mail.text
    assert Registration.objects.filter(event=forum).count() == 1


def test_participant_changes_and_cancels_through_the_link(forum, client):
    registration = register(forum, "Ada Beispiel", session_ids=[forum.sessions.first().pk])
    url = f"/veranstaltungen/anmeldung/{links.registration_token(registration)}/"
    page = client.get(url)
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    sessions = list(forum.sessions.values_list("pk", flat=True))
    data = {"name": "Ada B. Beispiel", "photo": "none", "sessions": sessions[:2], "version": registration.version}
    assert client.post(url, data).status_code == 302
    registration.refresh_from_db()
    assert registration.name == "Ada B. Beispiel" and registration.session_choices.count() == 2
    stale = client.post(url, {**data, "name": "Alte Fassung"})
    assert stale.status_code == 409 and "Alte Fassung" in stale.content.decode()
    client.post(url + "stornieren/")
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert mails_to("ada.beispiel@example.org", "events.cancelled").exists()


def test_tampered_or_foreign_links_answer_404(forum, client):
    registration = register(forum, "Ada Beispiel")
    token = links.registration_token(registration)
    assert client.get(f"/veranstaltungen/anmeldung/{token[:-2]}xx/").status_code == 404
    contingent_token = links._token(links.CONTINGENT_SALT, registration.pk, registration.link_key)
    assert client.get(f"/veranstaltungen/anmeldung/{contingent_token}/").status_code == 404


def test_contingent_nominations_until_the_cutoff_then_places_return(personas):
    office = personas["office"]
    now = timezone.now()
    event = make_forum(office, capacity=4, contingent_deadline=now + dt.timedelta(days=7))
    essen = Municipality.objects.get(slug="essen")
    contingent = actions.add_contingent(
        office,
        event,
        municipality=essen,
        places=3,
        coordinator_name="Clara Koordination",
        coordinator_email="clara@essen.example",
    )
    assert mails_to("clara@essen.example", "events.contingent").exists()
    assert actions.places_of(event)["free"] == 1
    register(event, "Nina Nominiert", contingent=contingent)
    register(event, "Otto Offen")
    waiting = register(event, "Wanda Warteliste")
    assert waiting.status == Status.WAITING
    register(event, "Paul Partner", contingent=contingent)
    register(event, "Rita Rat", contingent=contingent)
    with pytest.raises(ValidationError, match="ausgeschöpft"):
        register(event, "Zu Viel", contingent=contingent)
    actions.cancel(Registration.objects.get(name="Rita Rat"))
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING  # the city's place stays the city's until the cut-off
    with time_machine.travel(now + dt.timedelta(days=8), tick=False):
        with pytest.raises(ValidationError, match="Frist"):
            register(event, "Zu Spaet", contingent=contingent)
        assert housekeeping.run()["returned"] == 1
        waiting.refresh_from_db()
        assert waiting.status == Status.OFFERED
        assert housekeeping.run()["returned"] == 0  # idempotent
    contingent.refresh_from_db()
    assert contingent.returned_places == 1
    assert AuditEvent.objects.filter(action="event.contingent.returned").count() == 1


def test_office_approves_where_it_wants_to(personas):
    event = make_forum(personas["office"], requires_approval=True)
    registration = register(event, "Ada Beispiel")
    assert registration.status == Status.PENDING
    assert not mails_to("ada.beispiel@example.org", "events.confirmed").exists()
    with pytest.raises(ValidationError):
        actions.decide(personas["member"], registration, approve=True)
    actions.decide(personas["office"], registration, approve=True)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert mails_to("ada.beispiel@example.org", "events.confirmed").exists()
    assert AuditEvent.objects.filter(action="event.registration.approved").exists()


def test_invitation_mode_registers_only_through_the_personal_link(personas, client):
    event = make_forum(personas["office"], mode="invitation")
    with pytest.raises(ValidationError, match="Einladung"):
        register(event, "Ada Beispiel")
    invitation = actions.invite(personas["office"], event, name="Ina Eingeladen", email="ina@example.org")
    mail = mails_to("ina@example.org", "events.invited").get()
    url = re.search(r"https?://\S+/veranstaltungen/anmeldung/\S+/", mail.text).group(0)
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path, {"name": "Ina Eingeladen", "photo": "agree"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Status.CONFIRMED


def test_session_capacity_is_kept(personas):
    event = make_forum(personas["office"], capacity=10)
    workshop = event.sessions.first()
    workshop.capacity = 1
    workshop.save()
    register(event, "Ada Beispiel", session_ids=[workshop.pk])
    with pytest.raises(ValidationError, match="Ausgebucht"):
        register(event, "Bea Beispiel", session_ids=[workshop.pk])
    assert not Registration.objects.filter(name="Bea Beispiel").exists()  # nothing half-saved


def test_accessibility_needs_need_the_separate_consent(forum):
    with pytest.raises(ValidationError, match="Einwilligung"):
        register(forum, "Ada Beispiel", needs={"wheelchair": True})
    assert not Registration.objects.filter(event=forum).exists()
    registration = register(forum, "Ada Beispiel", needs={"wheelchair": True}, needs_consent=True)
    assert registration.accessibility.wheelchair
    audit = AuditEvent.objects.get(action="event.registration.created")
    assert "wheelchair" not in str(audit.after)
