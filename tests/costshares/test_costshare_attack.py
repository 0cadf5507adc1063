"""Attacks on the cost shares from outside: only HTTP, only what the attacker sees or can guess.

The member persona acts for Bochum. It enumerates notice ids, tries every download of each and posts
a payment to its own city's notice; guest and outsider try the sheets and exports. Nothing of another
city's notice may come back, and nothing may be written.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_set(client_for, personas):
    office = client_for("office")
    response = office.post(
        "/kostenverteilung/neu/",
        {
            "year": "2025",
            "budget": "20.000,00",
            "equal_percent": "100",
            "population_percent": "0",
            "staff_percent": "0",
            "key_date": "2024-12-31",
            "due_date": "2025-03-31",
        },
    )
    assert response.status_code == 302
    overview = office.get("/kostenverteilung/uebersicht/").content.decode()
    ids = {int(n) for n in re.findall(r"/kostenverteilung/anteil/(\d+)/", overview)}
    assert len(ids) == 10
    return ids


def test_a_city_reads_only_its_own_notice_whatever_id_it_tries(client_for, year_set):
    member = client_for("member")
    readable = []
    for pk in range(min(year_set) - 3, max(year_set) + 4):
        for suffix in ("", "bescheid.pdf", "xrechnung.xml"):
            response = member.get(f"/kostenverteilung/anteil/{pk}/{suffix}")
            if response.status_code == 200 and suffix == "":
                readable.append(pk)
                assert "Bochum" in response.content.decode()
            else:
                assert response.status_code in (200, 404), (pk, suffix, response.status_code)
                if response.status_code == 200:
                    assert pk in readable
    assert len(readable) == 1


def test_a_city_cannot_record_its_own_payment(client_for, year_set):
    member = client_for("member")
    for pk in year_set:
        response = member.post(f"/kostenverteilung/anteil/{pk}/zahlung/", {"amount": "2.000,00", "received_on": "2025-03-01"})
        assert response.status_code == 404
    overview = client_for("office").get("/kostenverteilung/uebersicht/").content.decode()
    assert "bezahlt" not in overview


@pytest.mark.parametrize("persona", ["outsider", "guest", "anonymous"])
def test_no_sheet_for_people_without_a_seat(client_for, year_set, persona):
    client = client_for(persona)
    for url in (
        "/kostenverteilung/",
        "/kostenverteilung/2025/",
        "/kostenverteilung/2025/rechenblatt.csv",
        "/kostenverteilung/2025/rechenblatt.xlsx",
        "/kostenverteilung/uebersicht/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 404), (url, response.status_code)
        assert b"2.000,00" not in response.content and b"2000.00" not in response.content
    for pk in year_set:
        assert client.get(f"/kostenverteilung/anteil/{pk}/bescheid.pdf").status_code in (302, 404)
