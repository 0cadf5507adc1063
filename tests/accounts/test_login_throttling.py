"""Failed sign-ins slow the guesser down, not the owner.

A stranger who knows an address (the managing office's is on the website) types wrong
passwords from their own machine. Two clients are told apart by their address, as the
server sees them (REMOTE_ADDR; behind a proxy: TRUSTED_PROXY_COUNT).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD

from .helpers import link_from_mail

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

THROTTLED = "Zu viele fehlgeschlagene Anmeldeversuche"
STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"


def attempt(client: Client, email: str, password: str):
    return client.post("/konto/login/", {"login": email, "password": password})


def signed_in_or_asked_for_second_factor(response) -> bool:
    return response.status_code == 302 and response["Location"] in {"/mein-bereich/", "/konto/2fa/authenticate/"}


@pytest.mark.parametrize("persona", ["member", "office"])
def test_a_stranger_guessing_passwords_does_not_lock_the_owner_out(personas, persona):
    email = personas[persona].email
    stranger = Client(REMOTE_ADDR=STRANGER)
    for _attempt in range(12):
        attempt(stranger, email, "falsch-geraten-2026")
    assert THROTTLED in attempt(stranger, email, PASSWORD).content.decode()  # even the right password, for now

    owner = Client(REMOTE_ADDR=OWNER)
    assert signed_in_or_asked_for_second_factor(attempt(owner, email, PASSWORD))


def test_the_owner_mistyping_from_their_own_client_is_throttled_and_a_password_reset_lets_them_in(personas):
    email = personas["member"].email
    owner = Client(REMOTE_ADDR=OWNER)
    for _attempt in range(5):
        attempt(owner, email, "vertippt-vertippt")
    assert THROTTLED in attempt(owner, email, PASSWORD).content.decode()

    owner.post("/konto/password/reset/", {"email": email})
    response = owner.get(link_from_mail(mail.outbox[-1], "/konto/password/reset/key/"))
    new_password = "Neues-Passwort-fuer-die-Regiegruppe"
    owner.post(response["Location"], {"password1": new_password, "password2": new_password})
    assert signed_in_or_asked_for_second_factor(attempt(Client(REMOTE_ADDR=OWNER), email, new_password))


def test_one_client_trying_many_accounts_is_throttled_per_client(personas):
    sprayer = Client(REMOTE_ADDR=STRANGER)
    addresses = [f"person{i}@test.example" for i in range(20)]
    for address in addresses:
        attempt(sprayer, address, "Sommer2026!")
    assert THROTTLED in attempt(sprayer, personas["member"].email, PASSWORD).content.decode()
    assert signed_in_or_asked_for_second_factor(attempt(Client(REMOTE_ADDR=OWNER), personas["member"].email, PASSWORD))


def test_ipv6_clients_of_one_network_count_together(personas):
    email = personas["member"].email
    for host in range(1, 7):
        attempt(Client(REMOTE_ADDR=f"2001:db8:1:2::{host}"), email, "falsch-geraten-2026")
    assert THROTTLED in attempt(Client(REMOTE_ADDR="2001:db8:1:2::99"), email, PASSWORD).content.decode()
    assert signed_in_or_asked_for_second_factor(attempt(Client(REMOTE_ADDR="2001:db8:1:3::1"), email, PASSWORD))


def test_guessing_from_many_addresses_stops_new_browsers_but_not_the_owners_known_one(personas, settings):
    settings.LOGIN_FAILED_UNKNOWN_CLIENTS_RATE = "10/h/key"
    email = personas["member"].email
    owners_browser = Client(REMOTE_ADDR=OWNER)
    assert signed_in_or_asked_for_second_factor(attempt(owners_browser, email, PASSWORD))
    owners_browser.post("/konto/logout/")

    for host in range(1, 16):  # a botnet: one guess per address
        attempt(Client(REMOTE_ADDR=f"192.0.2.{host}"), email, f"geraten-{host}-geraten")
    assert THROTTLED in attempt(Client(REMOTE_ADDR="192.0.2.200"), email, PASSWORD).content.decode()

    assert signed_in_or_asked_for_second_factor(attempt(owners_browser, email, PASSWORD))
    other = personas["guest"].email
    assert signed_in_or_asked_for_second_factor(attempt(Client(REMOTE_ADDR="192.0.2.201"), other, PASSWORD))


def test_a_known_device_cookie_of_another_account_or_a_forged_one_counts_as_unknown(personas, settings):
    settings.LOGIN_FAILED_UNKNOWN_CLIENTS_RATE = "3/h/key"
    guest_browser = Client(REMOTE_ADDR=OWNER)
    assert signed_in_or_asked_for_second_factor(attempt(guest_browser, personas["guest"].email, PASSWORD))
    guest_browser.post("/konto/logout/")
    email = personas["member"].email
    for host in range(1, 5):
        attempt(Client(REMOTE_ADDR=f"192.0.2.{host}"), email, "geraten-geraten")
    assert THROTTLED in attempt(guest_browser, email, PASSWORD).content.decode()
    forged = Client(REMOTE_ADDR="192.0.2.77")
    forged.cookies["interkommunal_geraet"] = "eyJhIjoiMSJ9:forged:signature"
    assert THROTTLED in attempt(forged, email, PASSWORD).content.decode()
