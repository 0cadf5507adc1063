"""Every allauth page renders in the platform layout, in formal German, with labelled fields."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.template.loader import render_to_string

from tests.conftest import TOTP_SECRET

from .helpers import password_login, text_of, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

ENGLISH = re.compile(
    r"\b(Sign In|Sign Out|Sign Up|Forgot your|Remember Me|Confirm|Cancel|Two-Factor|Recovery Codes|Security Keys?|"
    r"Password Reset|Change Password|Email Address|Verified|Primary|Activate|Deactivate|Generate|Download|Sessions|"
    r"third-party|Authenticator code|Submit)\b"
)
INFORMAL = re.compile(r"\b(du|dein\w*|dich|dir|versuche|bestätige|gib|wähle)\b", re.IGNORECASE)

ANONYMOUS_PAGES = [
    "/konto/login/",
    "/konto/password/reset/",
    "/konto/password/reset/done/",
    "/konto/password/reset/key/1-falsch/",
    "/konto/password/reset/key/done/",
    "/konto/confirm-email/",
    "/konto/confirm-email/falscher-schluessel/",
    "/konto/inactive/",
    "/konto/signup/",
]
MEMBER_PAGES = [
    "/konto/password/change/",
    "/konto/email/",
    "/konto/2fa/",
    "/konto/2fa/totp/activate/",
    "/konto/2fa/webauthn/add/",
    "/konto/sessions/",
    "/konto/logout/",
    "/konto/reauthenticate/",
    "/konto/sicherheit/",
    "/konto/3rdparty/",
]
OFFICE_PAGES = [
    "/konto/2fa/",
    "/konto/2fa/totp/deactivate/",
    "/konto/2fa/recovery-codes/",
    "/konto/2fa/recovery-codes/generate/",
    "/konto/2fa/webauthn/",
    "/konto/2fa/reauthenticate/",
]


def assert_platform_page(response):
    assert response.status_code == 200, response.get("Location")
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert 'class="skip-link" href="#inhalt"' in html  # our base.html, not allauth's bare layout
    title = re.search(r"<title>(.*?)</title>", html, re.S)[1].strip()
    assert title.endswith(" · Interkommunal") and len(title) > len(" · Interkommunal")
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count("<h1") == 1
    text = text_of(main)
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert not INFORMAL.search(text), INFORMAL.search(text)
    labels = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', main))
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", main):
        if re.search(r'type="(hidden|submit|button)"', tag):
            continue
        field_id = re.search(r'\bid="([^"]+)"', tag)
        assert field_id and field_id[1] in labels, f"unlabelled field: {tag}"


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_pages_for_signed_out_people(client, cooperation, url):
    response = client.get(url, follow=True)
    assert_platform_page(response)


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_pages_for_signed_in_people(client, personas, url):
    password_login(client, "member@test.example")
    assert_platform_page(client.get(url))


@pytest.mark.parametrize("url", OFFICE_PAGES)
def test_second_factor_pages(client, personas, url):
    RecoveryCodes.activate(personas["office"])
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        password_login(client, "office@test.example")
        client.post("/konto/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
        assert_platform_page(client.get(url))


def test_second_factor_prompt_at_login(client, personas):
    password_login(client, "office@test.example")
    assert_platform_page(client.get("/konto/2fa/authenticate/"))


def test_manage_pages_lead_back_to_the_security_overview(client_for):
    html = client_for("member").get("/konto/password/change/").content.decode()
    assert 'aria-label="Brotkrümelnavigation"' in html
    assert 'href="/konto/sicherheit/"' in html


NOTIFICATIONS = {
    "account/email/password_changed": "Passwort geändert",
    "account/email/password_reset": "Passwort geändert",
    "account/email/password_set": "Passwort festgelegt",
    "account/email/email_confirm": "E-Mail-Adresse bestätigt",
    "account/email/email_changed": "E-Mail-Adresse geändert",
    "account/email/email_deleted": "E-Mail-Adresse entfernt",
    "mfa/email/totp_activated": "Authenticator-App eingerichtet",
    "mfa/email/totp_deactivated": "Authenticator-App deaktiviert",
    "mfa/email/recovery_codes_generated": "Neue Wiederherstellungs-Codes",
    "mfa/email/webauthn_added": "Sicherheitsschlüssel hinzugefügt",
    "mfa/email/webauthn_removed": "Sicherheitsschlüssel entfernt",
    "socialaccount/email/account_connected": "Konto verbunden",
    "socialaccount/email/account_disconnected": "Verbindung entfernt",
}


@pytest.mark.parametrize(("prefix", "subject"), NOTIFICATIONS.items())
def test_notification_mails_are_formal_german(prefix, subject):
    context = {
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
    }  # fixed-date: only rendered
    context |= {"from_email": "alt@test.example", "to_email": "neu@test.example", "deleted_email": "alt@test.example"}
    context |= {"provider": "Stadtkonto Essen"}
    assert render_to_string(f"{prefix}_subject.txt", context).strip() == subject
    body = render_to_string(f"{prefix}_message.txt", context)
    assert body.startswith("Guten Tag,")
    assert "192.0.2.1" in body and "Ihre Plattform der Städtekooperation" in body
    assert not ENGLISH.search(body) and not INFORMAL.search(body)
