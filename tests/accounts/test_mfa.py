"""Second factor: TOTP and recovery codes at login, and the duty to set one up for office and admins."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client, modify_settings

from tests.conftest import TOTP_SECRET, make_user

from .helpers import main_html, password_login, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

MFA_SETUP = "/konto/2fa/totp/activate/"


@pytest.fixture
def frozen_time():
    """TOTP codes change every 30 seconds; freeze the clock so a test never straddles two windows."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def without_mfa(user):
    Authenticator.objects.filter(user=user).delete()
    return user


def test_totp_login_asks_for_a_code_before_signing_in(client, personas, frozen_time):
    response = password_login(client, "office@test.example")
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    page = client.get("/konto/2fa/authenticate/")
    assert "Zwei-Faktor-Anmeldung" in main_html(page)
    assert 'autocomplete="one-time-code"' in main_html(page)

    response = client.post("/konto/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert response["Location"] == "/mein-bereich/"
    assert int(client.session["_auth_user_id"]) == personas["office"].pk


def test_wrong_totp_code_is_refused(client, personas, frozen_time):
    password_login(client, "office@test.example")
    wrong = "000000" if totp_code(TOTP_SECRET) != "000000" else "111111"
    response = client.post("/konto/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert "Falscher Code." in main_html(response)
    assert "_auth_user_id" not in client.session


def test_a_totp_code_cannot_be_replayed(client, personas, frozen_time):
    code = totp_code(TOTP_SECRET)
    password_login(client, "office@test.example")
    assert client.post("/konto/2fa/authenticate/", {"code": code}).status_code == 302

    other = Client()
    password_login(other, "office@test.example")
    response = other.post("/konto/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in other.session


def test_recovery_code_signs_in_once(personas, frozen_time):
    office = personas["office"]
    codes = RecoveryCodes.activate(office).get_unused_codes()

    first = Client()
    password_login(first, office.email)
    assert first.post("/konto/2fa/authenticate/", {"code": codes[0]})["Location"] == "/mein-bereich/"

    second = Client()
    password_login(second, office.email)
    response = second.post("/konto/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 200
    assert "Falscher Code." in main_html(response)
    assert second.post("/konto/2fa/authenticate/", {"code": codes[1]}).status_code == 302


def test_member_without_mfa_is_not_forced_to_set_it_up(client_for):
    assert client_for("member").get("/mein-bereich/").status_code == 200


@pytest.mark.parametrize("persona", ["office", "admin"])
@pytest.mark.parametrize(
    "url", ["/", "/mein-bereich/", "/verzeichnis/", "/konto/sicherheit/", "/konto/einladungen/", "/konto/email/", "/admin/"]
)
def test_office_and_admin_without_mfa_are_sent_to_totp_setup(client, personas, persona, url):
    client.force_login(without_mfa(personas[persona]), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == MFA_SETUP


@pytest.mark.parametrize(
    "url", ["/konto/2fa/", "/konto/2fa/totp/activate/", "/konto/2fa/webauthn/add/", "/konto/logout/", "/konto/reauthenticate/"]
)
def test_the_way_to_a_second_factor_and_out_stays_open(client, personas, url):
    # allauth's real URLs under /konto/: the MFA pages, the password check before adding a factor, logout.
    client.force_login(without_mfa(personas["office"]), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(url)
    assert response.get("Location") != MFA_SETUP
    assert response.status_code in {200, 302}


def test_htmx_requests_are_redirected_by_header(client, personas):
    client.force_login(without_mfa(personas["office"]), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/verzeichnis/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == MFA_SETUP


def test_forced_setup_right_after_login_then_the_office_continues(client, personas, frozen_time):
    office = without_mfa(personas["office"])
    response = password_login(client, office.email)
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == MFA_SETUP  # no second password prompt right after signing in
    html = main_html(response)
    assert "Für Ihre Rolle ist eine Zwei-Faktor-Anmeldung vorgeschrieben." in html
    assert 'src="data:image/svg+xml;base64,' in html
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)</p>', html)[1]
    secret = secret.replace(" ", "")
    assert secret == client.session["mfa.totp.secret"]

    response = client.post(MFA_SETUP, {"code": totp_code(secret)})
    assert response["Location"] == "/konto/2fa/recovery-codes/"
    codes_page = client.get("/konto/2fa/recovery-codes/")
    assert "Wiederherstellungs-Codes" in main_html(codes_page)
    assert client.get("/mein-bereich/").status_code == 200
    assert client.get("/konto/einladungen/").status_code == 200
    assert Authenticator.objects.filter(user=office, type=Authenticator.Type.TOTP).exists()


def test_totp_setup_refuses_a_wrong_code_with_an_accessible_error(client, personas):
    without_mfa(personas["office"])
    password_login(client, "office@test.example")  # a fresh sign-in, so no password prompt first
    client.get(MFA_SETUP)
    response = client.post(MFA_SETUP, {"code": "12345"})
    html = main_html(response)
    assert "Falscher Code." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_code-error"' in html
    assert not Authenticator.objects.filter(user=personas["office"], type=Authenticator.Type.TOTP).exists()


def test_setup_asks_for_the_password_again_when_the_sign_in_is_old(client, personas):
    office = without_mfa(personas["office"])
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)) as traveller:
        password_login(client, office.email)
        traveller.shift(dt.timedelta(minutes=10))
        response = client.get(MFA_SETUP)
    assert response["Location"].startswith("/konto/reauthenticate/")


def test_recovery_codes_alone_do_not_count_as_a_second_factor(client, personas):
    office = without_mfa(personas["office"])
    RecoveryCodes.activate(office)
    client.force_login(office, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/mein-bereich/")["Location"] == MFA_SETUP


# --- Django admin -------------------------------------------------------------------------------


def test_admin_with_mfa_reaches_the_django_admin(client_for):
    assert client_for("admin").get("/admin/").status_code == 200


def test_admin_without_mfa_is_sent_to_setup_instead_of_the_admin(client, personas):
    client.force_login(without_mfa(personas["admin"]), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/")["Location"] == MFA_SETUP


@modify_settings(MIDDLEWARE={"remove": "accounts.middleware.RequireMFAMiddleware"})
def test_admin_site_itself_refuses_an_admin_without_mfa(client, personas):
    # Defence in depth: even without the middleware the admin answers 404, not its own login form.
    client.force_login(without_mfa(personas["admin"]), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/accounts/user/").status_code == 404


@pytest.mark.parametrize("persona", ["office", "member", "guest", "outsider"])
def test_django_admin_does_not_exist_for_other_personas(client_for, persona):
    assert client_for(persona).get("/admin/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_platform_login_not_the_admin_login(client, cooperation):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.get(response["Location"])
    assert response["Location"].startswith("/konto/login/")


def test_admin_with_mfa_signs_in_with_code_then_reaches_admin(client, personas, frozen_time):
    make_user("zweiter-admin@test.example", admin=True, mfa=True)
    password_login(client, "zweiter-admin@test.example")
    client.post("/konto/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert client.get("/admin/").status_code == 200
