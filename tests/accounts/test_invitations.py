"""The managing office invites people; invitees set a password and land on their profile."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts import actions
from accounts.models import Invitation, User
from audit.models import AuditEvent
from members.models import Municipality, Person

from .helpers import link_from_mail, main_html, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

NEW_PASSWORD = "Vielfalt-schafft-Zukunft-im-Revier"


@pytest.fixture
def invitee(cooperation):
    return Person.objects.create(
        given_name="Ina", family_name="Neu", municipality=Municipality.objects.get(slug="essen"), email="ina.neu@test.example"
    )


@pytest.fixture
def invitation(personas, invitee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = actions.invite_person(personas["office"], invitee)
    return invitation, f"/konto/einladung/{token}/"


def accept(client, url, password=NEW_PASSWORD, repeat=None, privacy="on"):
    return client.post(url, {"password1": password, "password2": repeat or password, "privacy": privacy})


# --- Sending ----------------------------------------------------------------------------------------


def test_office_invites_a_person_and_the_mail_carries_a_working_link(client_for, invitee, django_capture_on_commit_callbacks):
    office = client_for("office")
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            "/konto/einladungen/neu/", {"person": invitee.pk, "email": "", "message": "Willkommen im Projektteam!"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/konto/einladungen/"

    [message] = mail.outbox
    assert message.to == ["ina.neu@test.example"]
    assert message.subject == "[Interkommunal] Einladung zur Plattform der Städtekooperation Integration.Interkommunal"
    assert "Willkommen im Projektteam!" in message.body
    link = link_from_mail(message, "/konto/einladung/")
    assert "Willkommen, Ina!" in Client().get(link).content.decode()

    invitation = Invitation.objects.get()
    assert invitation.email == "ina.neu@test.example"
    assert invitation.token_hash not in message.body  # only the hash is stored, only the token is mailed
    assert abs(invitation.expires_at - invitation.created - dt.timedelta(days=7)) < dt.timedelta(seconds=1)
    assert "Die Einladung an ina.neu@test.example wurde verschickt." in office.get("/konto/einladungen/").content.decode()


def test_second_invitation_to_the_same_address_is_refused_in_german(client_for, invitation, invitee):
    response = client_for("office").post("/konto/einladungen/neu/", {"person": invitee.pk, "email": ""})
    assert response.status_code == 200
    assert "An diese Adresse wurde bereits eine Einladung verschickt, die noch gültig ist." in main_html(response)
    assert Invitation.objects.count() == 1


def test_invitation_to_an_address_that_already_has_an_account_is_refused(client_for, invitee):
    response = client_for("office").post("/konto/einladungen/neu/", {"person": invitee.pk, "email": "Member@Test.Example"})
    assert response.status_code == 200
    assert "Zu dieser E-Mail-Adresse gibt es bereits ein Konto." in main_html(response)
    assert not Invitation.objects.exists()


def test_malformed_address_is_refused(client_for, invitee):
    response = client_for("office").post("/konto/einladungen/neu/", {"person": invitee.pk, "email": "ina.neu(at)essen"})
    assert response.status_code == 200
    html = main_html(response)
    assert "Bitte gültige E-Mail-Adresse eingeben." in html
    assert 'aria-invalid="true"' in html
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_person_without_any_address_cannot_be_invited(client_for, cooperation):
    person = Person.objects.create(given_name="Otto", family_name="Ohnemail")
    response = client_for("office").post("/konto/einladungen/neu/", {"person": person.pk, "email": ""})
    assert "Für die Einladung wird eine E-Mail-Adresse benötigt." in main_html(response)


@pytest.mark.parametrize("persona", ["member", "guest", "outsider"])
def test_only_the_office_may_invite_list_or_revoke(client_for, invitation, invitee, persona):
    client = client_for(persona)
    assert client.get("/konto/einladungen/").status_code == 404
    assert client.get("/konto/einladungen/neu/").status_code == 404
    assert client.post("/konto/einladungen/neu/", {"person": invitee.pk, "email": "x@test.example"}).status_code == 404
    assert client.post(f"/konto/einladungen/{invitation[0].pk}/zurueckziehen/").status_code == 404
    assert Invitation.objects.get().is_open


def test_anonymous_visitors_are_sent_to_login(client, invitation):
    for url in ("/konto/einladungen/", "/konto/einladungen/neu/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")


# --- Accepting ----------------------------------------------------------------------------------------


def test_accepting_creates_a_verified_linked_account_and_signs_in(client, invitation, invitee):
    _inv, url = invitation
    page = client.get(url)
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.content.decode()

    response = accept(client, url)
    assert response.status_code == 302
    assert response["Location"] == "/profil/bearbeiten/"

    user = User.objects.get(email="ina.neu@test.example")
    invitee.refresh_from_db()
    assert invitee.user == user
    assert EmailAddress.objects.get(user=user).verified
    assert int(client.session["_auth_user_id"]) == user.pk
    profile = client.get("/profil/bearbeiten/")
    assert profile.status_code == 200
    assert "Willkommen! Ihr Konto ist eingerichtet." in profile.content.decode()
    assert not Invitation.objects.get().is_open


def test_too_short_password_is_refused_and_nothing_is_saved(client, invitation, invitee):
    _inv, url = invitation
    response = accept(client, url, password="kurz-123")
    assert response.status_code == 200
    html = main_html(response)
    assert "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten." in html
    assert 'role="alert"' in html
    assert not User.objects.filter(email="ina.neu@test.example").exists()
    invitee.refresh_from_db()
    assert invitee.user is None
    assert Invitation.objects.get().is_open
    assert "_auth_user_id" not in client.session


def test_mismatched_repetition_and_missing_privacy_note_are_refused(client, invitation):
    _inv, url = invitation
    response = accept(client, url, repeat="Etwas-ganz-anderes-12345", privacy="")
    text = text_of(main_html(response))
    assert "Die beiden Passwörter stimmen nicht überein." in text
    assert "Dieses Feld ist zwingend erforderlich." in text
    assert not User.objects.filter(email="ina.neu@test.example").exists()


def test_invitation_link_works_only_once(client, invitation):
    _inv, url = invitation
    accept(client, url)
    again = Client()
    response = again.get(url)
    assert response.status_code == 404
    assert "Diese Einladung ist nicht (mehr) gültig" in response.content.decode()
    assert accept(again, url, password="Noch-ein-anderes-Passwort-1").status_code == 404
    assert User.objects.filter(email="ina.neu@test.example").count() == 1


def test_expired_invitation_is_refused(client, invitation):
    _inv, url = invitation
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        assert client.get(url).status_code == 404
        assert accept(client, url).status_code == 404
    assert not User.objects.filter(email="ina.neu@test.example").exists()


def test_invitation_with_expiry_in_the_past_is_refused(client, invitation):
    inv, url = invitation
    Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(url).status_code == 404


def test_expired_invitation_can_be_replaced_by_a_new_one(client_for, invitation, invitee):
    inv, _url = invitation
    Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client_for("office").post("/konto/einladungen/neu/", {"person": invitee.pk, "email": ""})
    assert response.status_code == 302
    assert Invitation.objects.open().count() == 1


def test_office_revokes_an_invitation_and_the_link_stops_working(client_for, invitation):
    inv, url = invitation
    office = client_for("office")
    response = office.post(f"/konto/einladungen/{inv.pk}/zurueckziehen/")
    assert response["Location"] == "/konto/einladungen/"
    assert "Die Einladung wurde zurückgezogen." in office.get("/konto/einladungen/").content.decode()
    inv.refresh_from_db()
    assert inv.revoked_at is not None
    assert Client().get(url).status_code == 404


def test_revoking_twice_says_so(client_for, invitation):
    inv, _url = invitation
    office = client_for("office")
    office.post(f"/konto/einladungen/{inv.pk}/zurueckziehen/")
    response = office.post(f"/konto/einladungen/{inv.pk}/zurueckziehen/", follow=True)
    assert "Diese Einladung ist nicht mehr offen." in response.content.decode()


def test_signed_in_people_cannot_accept_someone_elses_invitation(client_for, invitation):
    _inv, url = invitation
    response = client_for("member").post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "privacy": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(email="ina.neu@test.example").exists()


def test_audit_log_records_sent_accepted_and_revoked(client, client_for, personas, invitation, invitee):
    inv, url = invitation
    accept(client, url)
    second = Person.objects.create(given_name="Zweite", family_name="Person", email="zweite@test.example")
    revoked, _token = actions.invite_person(personas["office"], second)
    client_for("office").post(f"/konto/einladungen/{revoked.pk}/zurueckziehen/")

    events = {(e.action, e.object_id) for e in AuditEvent.objects.filter(object_type__icontains="invitation")}
    assert ("invitation.sent", str(inv.pk)) in events
    assert ("invitation.accepted", str(inv.pk)) in events
    assert ("invitation.sent", str(revoked.pk)) in events
    assert ("invitation.revoked", str(revoked.pk)) in events
    accepted = AuditEvent.objects.get(action="invitation.accepted")
    assert accepted.actor == User.objects.get(email="ina.neu@test.example")
    assert AuditEvent.objects.get(action="invitation.revoked").actor == personas["office"]


# --- The list -------------------------------------------------------------------------------------------


def test_the_invitation_list_comes_in_pages_newest_first(client_for, personas, monkeypatch):
    monkeypatch.setattr("accounts.views.INVITATIONS_PER_PAGE", 4)
    city = Municipality.objects.get(slug="herne")
    for number in range(9):
        person = Person.objects.create(
            given_name="Eingeladen", family_name=f"Nummer{number}", municipality=city, email=f"nr{number}@test.example"
        )
        actions.invite_person(personas["office"], person)
    office = client_for("office")
    pages = [office.get(f"/konto/einladungen/?seite={n}").content.decode() for n in (1, 2, 3)]
    shown = [re.findall(r"nr(\d+)@test\.example", page) for page in pages]
    assert [len(s) for s in shown] == [4, 4, 1]
    assert [int(n) for s in shown for n in s] == list(range(8, -1, -1))  # newest first, each once
    assert "Seite 1 von 3" in pages[0] and "Letzte Seite" in pages[0]
