"""Password rules: at least 12 characters, no common passwords, Argon2 in production."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from interkommunal import settings as production_settings

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


def test_production_hashes_passwords_with_argon2_first():
    # The test settings swap in MD5 for speed; the real settings module must lead with Argon2.
    assert production_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    encoded = Argon2PasswordHasher().encode("korrekt-pferd-batterie", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")


def test_password_shorter_than_12_characters_is_refused_in_german():
    with pytest.raises(ValidationError) as exc:
        validate_password("Kurz-123")
    assert "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten." in exc.value.messages


def test_common_password_is_refused_even_when_long_enough():
    with pytest.raises(ValidationError) as exc:
        validate_password("password1234")
    assert exc.value.messages == ["Dieses Passwort ist zu üblich."]


def test_long_passphrase_is_accepted():
    validate_password("Vielfalt schafft Zukunft im Revier")


def test_password_change_form_applies_the_policy(client_for):
    client = client_for("member")
    response = client.post(
        "/konto/password/change/",
        {"oldpassword": "korrekt-pferd-batterie-heftklammer", "password1": "kurz", "password2": "kurz"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten." in html
    assert 'aria-invalid="true"' in html
    assert "data-error-summary" in html


GERMAN_COMMON = [
    "passwort1234",
    "Passwort2026!",
    "hallo123456789",
    "P4ssw0rt!!2024",
    "Sommer2024!!",
    "Schalke04Schalke04",
    "Ich liebe dich 2024",
    "Bochum2025!!!",
    "SommerSonne2024",
    "hallohallohallo",
    "Qwertz123456",
    "Schätzi!2024",
]


@pytest.mark.parametrize("password", GERMAN_COMMON)
def test_common_german_passwords_with_digits_years_or_symbols_are_refused_in_german(password):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert any("leicht zu erraten" in message or "zu üblich" in message for message in exc.value.messages)


@pytest.mark.parametrize(
    "password",
    ["korrekt-pferd-batterie-heftklammer", "Neues-Passwort-fuer-die-Regiegruppe", "7$kP9#mQ2!xZ", "Essener Kulturhauptstadt"],
)
def test_passphrases_and_random_passwords_pass_the_german_list(password):
    validate_password(password)


def test_password_change_refuses_a_common_german_password(client_for):
    response = client_for("member").post(
        "/konto/password/change/",
        {"oldpassword": "korrekt-pferd-batterie-heftklammer", "password1": "Passwort2026!", "password2": "Passwort2026!"},
    )
    assert response.status_code == 200
    assert "Dieses Passwort ist leicht zu erraten" in response.content.decode()
