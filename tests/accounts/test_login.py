"""Signing in with e-mail and password, rate limiting, verification and password reset."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.conftest import PASSWORD, make_user

from .helpers import link_from_mail, main_html, password_login, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


def test_member_signs_in_with_email_and_password(client, personas):
    response = password_login(client, "member@test.example")
    assert response.status_code == 302
    assert response["Location"] == "/mein-bereich/"
    assert int(client.session["_auth_user_id"]) == personas["member"].pk
    assert client.get("/mein-bereich/").status_code == 200


def test_email_is_matched_case_insensitively(client, personas):
    response = password_login(client, "Member@Test.Example")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == personas["member"].pk


def test_wrong_password_is_refused_with_a_german_error_summary(client, personas):
    response = password_login(client, "member@test.example", "falsches-passwort-123")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    html = main_html(response)
    assert "E-Mail-Adresse oder Passwort sind nicht richtig." in html
    assert 'role="alert"' in html and "data-error-summary" in html


def test_unknown_address_gets_the_same_answer_as_a_wrong_password(client, personas):
    wrong_password = text_of(main_html(password_login(client, "member@test.example", "falsches-passwort-123")))
    unknown = text_of(main_html(password_login(client, "niemand@test.example", "falsches-passwort-123")))
    assert unknown.replace("niemand@test.example", "") == wrong_password.replace("member@test.example", "")


def test_repeated_failed_logins_are_rate_limited_with_a_clear_message(client, personas):
    # ACCOUNT_RATE_LIMITS["login_failed"] allows five failures per client and address in five minutes.
    for _attempt in range(5):
        assert password_login(client, "member@test.example", "falsches-passwort-123").status_code == 200
    response = password_login(client, "member@test.example", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie einige Minuten" in response.content.decode()


def test_rate_limit_for_one_address_does_not_lock_out_others(client, personas):
    for _attempt in range(6):
        password_login(client, "member@test.example", "falsches-passwort-123")
    response = password_login(client, "guest@test.example")
    assert response.status_code == 302


def test_login_page_is_german_accessible_and_invitation_only(client, cooperation):
    response = client.get("/konto/login/")
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "<title>Anmelden · Interkommunal</title>" in html
    main = main_html(response)
    assert main.count("<h1") == 1
    assert '<label class="kern-label" for="id_login">E-Mail-Adresse</label>' in main
    assert '<label class="kern-label" for="id_password">Passwort</label>' in main
    assert 'autocomplete="current-password"' in main
    assert "/konto/signup/" not in main  # accounts come from invitations only
    assert 'href="/konto/password/reset/"' in main


def test_unverified_address_cannot_sign_in_until_confirmed(client, cooperation):
    user = User.objects.create_user(email="neu@test.example", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)

    response = password_login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in client.get(response["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "[Interkommunal] Bitte bestätigen Sie Ihre E-Mail-Adresse"

    confirm_url = link_from_mail(message, "/konto/confirm-email/")
    assert "Bitte bestätigen Sie, dass" in client.get(confirm_url).content.decode()
    assert client.post(confirm_url).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = password_login(Client(), user.email)
    assert response.status_code == 302
    assert response["Location"] == "/mein-bereich/"


def test_password_reset_sends_a_link_and_then_a_notice(client, personas):
    member = personas["member"]
    response = client.post("/konto/password/reset/", {"email": member.email})
    assert response.status_code == 302
    [reset_mail] = mail.outbox
    assert reset_mail.to == [member.email]
    assert reset_mail.subject == "[Interkommunal] Passwort zurücksetzen"
    assert "Guten Tag," in reset_mail.body

    response = client.get(link_from_mail(reset_mail, "/konto/password/reset/key/"))
    assert response.status_code == 302  # allauth moves the key out of the URL into the session
    form_url = response["Location"]
    assert "Neues Passwort festlegen" in client.get(form_url).content.decode()

    new_password = "Neues-Passwort-fuer-die-Regiegruppe"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert "Passwort geändert" in client.get(response["Location"]).content.decode()

    notice = mail.outbox[1]
    assert notice.to == [member.email]
    assert notice.subject == "[Interkommunal] Passwort geändert"
    assert "neu festgelegt" in notice.body

    assert password_login(Client(), member.email, PASSWORD).status_code == 200
    assert password_login(Client(), member.email, new_password).status_code == 302


def test_password_reset_link_works_only_once(client, personas):
    client.post("/konto/password/reset/", {"email": "member@test.example"})
    link = link_from_mail(mail.outbox[0], "/konto/password/reset/key/")
    form_url = client.get(link)["Location"]
    new_password = "Neues-Passwort-fuer-die-Regiegruppe"
    client.post(form_url, {"password1": new_password, "password2": new_password})

    response = Client().get(link, follow=True)
    assert "Dieser Link ist nicht mehr gültig" in response.content.decode()


def test_password_reset_for_unknown_address_does_not_reveal_anything(client, cooperation):
    response = client.post("/konto/password/reset/", {"email": "niemand@test.example"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "[Interkommunal] Kein Konto zu dieser Adresse"
    assert "/konto/signup/" not in message.body  # nobody can sign up on their own


def test_password_change_sends_a_notice_mail(client_for, personas):
    client = client_for("member")
    new_password = "Neues-Passwort-fuer-die-Regiegruppe"
    response = client.post(
        "/konto/password/change/", {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    [notice] = mail.outbox
    assert notice.subject == "[Interkommunal] Passwort geändert"
    assert notice.to == ["member@test.example"]


def test_inactive_account_cannot_sign_in(client, cooperation):
    user = make_user("gesperrt@test.example")
    user.is_active = False
    user.save()
    response = password_login(client, user.email)
    assert response["Location"] == "/konto/inactive/"
    assert "_auth_user_id" not in client.session
    assert "Dieses Konto ist gesperrt" in client.get("/konto/inactive/").content.decode()


def test_sessions_end_with_the_browser_and_after_at_most_eight_hours(client, personas):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    response = password_login(client, "member@test.example")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    assert client.session.get_expiry_age() <= 8 * 60 * 60


def test_logout_asks_for_confirmation_and_ends_the_session(client_for):
    client = client_for("member")
    response = client.get("/konto/logout/")
    assert "Möchten Sie sich wirklich abmelden?" in response.content.decode()
    response = client.post("/konto/logout/")
    assert response.status_code == 302
    assert client.get("/mein-bereich/").status_code == 302
