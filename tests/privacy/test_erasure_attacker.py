"""Attacker's view of an erasure: after the office erases a member, nothing that reaches other people names
their contact data, and the old account no longer signs in.

Written from the outside: it knows only the persona's e-mail address and phone number, the pages every member
can open (directory, person page, vCard, directory export, the post they wrote) and the login form.
"""

from __future__ import annotations

import pytest
from django.test import Client

from members.models import Person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "member@test.example"
PHONE = "+49 234 910-4711"


def _pages_seen_by_others(person_pk: int) -> list[str]:
    return [
        "/verzeichnis/",
        "/verzeichnis/?q=Member",
        f"/verzeichnis/personen/{person_pk}/",
        f"/verzeichnis/personen/{person_pk}/vcard/",
        "/verzeichnis/export.csv",
        "/gremien/regiegruppe/",
        "/neuigkeiten/",
    ]


def test_an_erased_member_leaves_no_contact_data_and_no_way_in(personas, client_for):
    person = Person.objects.get(user=personas["member"])
    Person.objects.filter(pk=person.pk).update(phone=PHONE)
    client_for("member").post("/neuigkeiten/neu/", {"title": "Mein Beitrag", "body": "Gruß aus Bochum"})

    client_for("office").post(f"/verwaltung/datenschutz/personen/{person.pk}/", {"form": "erase", "confirm": "on"})

    for viewer in ("office", "admin", "guest", "anonymous"):
        client = client_for(viewer)
        for url in _pages_seen_by_others(person.pk):
            response = client.get(url)
            body = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
            assert EMAIL not in body, f"{viewer} still reads the e-mail address on {url}"
            assert PHONE not in body and "910-4711" not in body, f"{viewer} still reads the phone number on {url}"
    login = Client().post("/konto/login/", {"login": EMAIL, "password": PASSWORD})
    assert login.wsgi_request.user.is_anonymous, "the erased account still signs in"
