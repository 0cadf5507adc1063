"""The security page: signed-in devices and "log out everywhere"."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from audit.models import AuditEvent

from .helpers import main_html, password_login, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
    "Mobile/15E148 Safari/604.1"
)


def signed_in_client(email: str, user_agent: str) -> Client:
    client = Client(headers={"User-Agent": user_agent})
    assert password_login(client, email).status_code == 302
    return client


def test_logout_everywhere_ends_the_other_sessions_and_keeps_this_one(personas):
    laptop = signed_in_client("member@test.example", FIREFOX_WINDOWS)
    phone = signed_in_client("member@test.example", SAFARI_IPHONE)
    assert phone.get("/mein-bereich/").status_code == 200

    response = laptop.post("/konto/sicherheit/ueberall-abmelden/")
    assert response["Location"] == "/konto/sicherheit/"
    page = laptop.get("/konto/sicherheit/")
    assert "Sie wurden auf 1 anderen Gerät abgemeldet." in page.content.decode()

    assert laptop.get("/mein-bereich/").status_code == 200
    assert phone.get("/mein-bereich/")["Location"].startswith("/konto/login/")
    assert UserSession.objects.filter(user=personas["member"]).count() == 1
    event = AuditEvent.objects.get(action="account.sessions_ended")
    assert event.after == {"count": 1}


def test_logout_everywhere_leaves_other_people_alone(personas):
    member = signed_in_client("member@test.example", FIREFOX_WINDOWS)
    guest = signed_in_client("guest@test.example", FIREFOX_WINDOWS)
    member.post("/konto/sicherheit/ueberall-abmelden/")
    assert guest.get("/mein-bereich/").status_code == 200


def test_security_page_names_devices_in_plain_german(personas):
    laptop = signed_in_client("member@test.example", FIREFOX_WINDOWS)
    signed_in_client("member@test.example", SAFARI_IPHONE)
    text = text_of(main_html(laptop.get("/konto/sicherheit/")))
    assert "Firefox unter Windows dieses Gerät" in text
    assert "Safari unter iOS" in text
    assert "Auf allen anderen Geräten abmelden" in text


def test_security_page_without_other_devices_offers_no_pointless_button(personas):
    laptop = signed_in_client("member@test.example", FIREFOX_WINDOWS)
    text = text_of(main_html(laptop.get("/konto/sicherheit/")))
    assert "Sie sind nur auf diesem Gerät angemeldet." in text
    assert "Auf allen anderen Geräten abmelden" not in text


def test_security_page_flags_a_missing_second_factor_where_it_is_required(client_for, personas):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=personas["office"]).delete()
    # The office is sent to the setup; the member sees the neutral hint.
    assert client_for("office").get("/konto/sicherheit/")["Location"] == "/konto/2fa/totp/activate/"
    assert "Zwei-Faktor-Anmeldung nicht eingerichtet" in text_of(main_html(client_for("member").get("/konto/sicherheit/")))
    assert "Zwei-Faktor-Anmeldung eingerichtet" in text_of(main_html(client_for("admin").get("/konto/sicherheit/")))


def test_logout_everywhere_is_post_only(client_for):
    assert client_for("member").get("/konto/sicherheit/ueberall-abmelden/").status_code == 405


def test_allauth_session_list_uses_the_same_plain_device_names(personas):
    laptop = signed_in_client("member@test.example", FIREFOX_WINDOWS)
    signed_in_client("member@test.example", SAFARI_IPHONE)
    response = laptop.get("/konto/sessions/")
    text = text_of(main_html(response))
    assert "Angemeldete Geräte" in text and "Safari unter iOS" in text
    laptop.post("/konto/sessions/")
    assert UserSession.objects.filter(user=personas["member"]).count() == 1
