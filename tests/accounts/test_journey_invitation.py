"""Journey: the office invites a person, who sets a password, enrols TOTP, signs in again and edits the profile.

Real pieces throughout: Chromium, Django's live server, a real SMTP server for the invitation
mail, allauth's TOTP check. Every page of the journey gets an axe scan.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from members.models import Body, Membership, Municipality, Person
from tests.support.browser import assert_accessible
from tests.support.smtp import LocalSMTPServer

from .helpers import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Playwright's sync API runs an event loop in this thread; the ORM calls here are deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Vielfalt-schafft-Zukunft-im-Revier"


@pytest.fixture
def smtp(settings, live_server):
    """Mail goes over real SMTP, and links in it point at the live server."""
    with LocalSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.SITE_URL = live_server.url
        yield server


def new_page(chromium, live_server):
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(15_000)
    return context.new_page()


def current_totp_code(secret: str) -> str:
    """A code that stays valid for a few more seconds (the server allows no clock drift)."""
    if mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD < 3:
        time.sleep(3)
    return totp_code(secret)


def test_invited_person_sets_password_enrols_totp_signs_in_and_edits_profile(chromium, live_server, smtp, personas):
    invitee = Person.objects.create(
        given_name="Ina",
        family_name="Neu",
        salutation=Person.Salutation.FRAU,
        municipality=Municipality.objects.get(slug="essen"),
        email="ina.neu@essen.example",
    )
    Membership.objects.create(
        person=invitee,
        body=Body.objects.get(slug="regiegruppe"),
        role=Membership.Role.MEMBER,
        start_date=dt.date.today() - dt.timedelta(days=30),
    )

    # The managing office sends the invitation.
    office = new_page(chromium, live_server)
    client = Client()
    client.force_login(personas["office"], backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    office.context.add_cookies([{"name": session.key, "value": session.value, "url": live_server.url}])
    office.goto("/konto/einladungen/neu/")
    assert_accessible(office, context="Person einladen")
    office.get_by_label("Person").select_option(label="Ina Neu")
    office.get_by_label(re.compile("^Persönliche Nachricht")).fill("Willkommen in der Regiegruppe!")
    office.get_by_role("button", name="Einladung senden").click()
    expect(office.locator(".messages")).to_contain_text("Die Einladung an ina.neu@essen.example wurde verschickt.")
    assert_accessible(office, context="Einladungen")

    [message] = smtp.wait_for(1)
    assert message.envelope_to == ["ina.neu@essen.example"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Sehr geehrte Frau Neu,")
    link = re.search(r"http://\S+/konto/einladung/\S+/", body)[0]
    assert link.startswith(live_server.url)

    # The invitee opens the link and sets a password.
    page = new_page(chromium, live_server)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen, Ina!")
    assert_accessible(page, context="Einladung annehmen")
    page.get_by_label("Passwort", exact=True).fill("zu-kurz")
    page.get_by_label("Passwort wiederholen").fill("zu-kurz")
    page.get_by_label("Ich habe die Datenschutzerklärung zur Kenntnis genommen.").check()
    page.get_by_role("button", name="Konto einrichten").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("mindestens 12 Zeichen")
    assert_accessible(page, context="Einladung annehmen, mit Fehlern")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    page.get_by_label("Ich habe die Datenschutzerklärung zur Kenntnis genommen.").check()
    page.get_by_role("button", name="Konto einrichten").click()
    expect(page).to_have_url(f"{live_server.url}/profil/bearbeiten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Profil bearbeiten")
    assert_accessible(page, context="Profil bearbeiten nach der Einladung")

    # She protects her account with an authenticator app.
    page.goto("/konto/sicherheit/")
    assert_accessible(page, context="Sicherheit")
    page.get_by_role("link", name=re.compile("Zwei-Faktor-Anmeldung")).click()
    assert_accessible(page, context="Zwei-Faktor-Übersicht")
    page.get_by_role("link", name="Einrichten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authenticator-App einrichten")
    expect(page.get_by_role("img", name="QR-Code zum Einrichten der Authenticator-App")).to_be_visible()
    assert_accessible(page, context="Authenticator-App einrichten")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Authentifizierungscode").fill(current_totp_code(secret))
    page.get_by_role("button", name="Aktivieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wiederherstellungs-Codes")
    expect(page.locator(".messages")).to_contain_text("Die Authenticator-App ist eingerichtet.")
    assert_accessible(page, context="Wiederherstellungs-Codes")

    # Sign out, and in again: password, then the code from the app.
    page.locator(".site-header").get_by_role("button", name="Abmelden").click()
    expect(page.locator(".messages")).to_contain_text("Sie sind abgemeldet.")
    page.goto("/konto/login/")
    assert_accessible(page, context="Anmelden")
    page.get_by_label("E-Mail-Adresse").fill("ina.neu@essen.example")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zwei-Faktor-Anmeldung")
    assert_accessible(page, context="Code eingeben")
    page.get_by_label("Code", exact=True).fill(current_totp_code(secret))
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(f"{live_server.url}/mein-bereich/")
    assert_accessible(page, context="Mein Bereich")

    # She completes her profile: a phone number only the office may see.
    page.goto("/profil/bearbeiten/")
    page.get_by_label(re.compile("^Telefon")).first.fill("+49 201 88-4711")
    page.get_by_label("Telefon sichtbar für").select_option(value="office")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_contain_text("Ihr Profil wurde gespeichert.")
    expect(page.locator("main")).to_contain_text("+49 201 88-4711")
    assert_accessible(page, context="eigenes Profil")

    invitee.refresh_from_db()
    assert invitee.phone == "+49 201 88-4711"
    assert invitee.phone_visibility == "office"
    assert invitee.user.email == "ina.neu@essen.example"
