"""The member directory: who sees which contact data, vCards, exports, query counts."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from members.demo import load_demo
from members.models import Person

pytestmark = [pytest.mark.django_db]


def _members_only_person():
    return Person.objects.filter(profile_visibility="members", user__isnull=True).exclude(email="").first()


def _speaker():
    return Person.objects.get(memberships__role="speaker")


@pytest.mark.sqlite_fast
def test_public_sees_only_public_profiles_and_public_contacts(client_for):
    html = client_for("anonymous").get("/verzeichnis/").content.decode()
    speaker = _speaker()
    hidden = _members_only_person()
    assert speaker.full_name in html
    assert speaker.email in html
    assert hidden.full_name not in html
    assert hidden.email not in html


def test_members_see_member_contact_data_but_not_office_only_data(client_for):
    hidden = _members_only_person()
    secret = Person.objects.exclude(pk=hidden.pk).filter(user__isnull=True, profile_visibility="members").first()
    secret.phone_visibility = "office"
    secret.save()
    client = client_for("member")
    html = client.get(f"/verzeichnis/personen/{secret.pk}/").content.decode()
    assert secret.email in html
    assert secret.phone not in html
    assert secret.phone in client_for("office").get(f"/verzeichnis/personen/{secret.pk}/").content.decode()


def test_external_guests_see_the_directory_like_the_public(client_for):
    hidden = _members_only_person()
    assert client_for("guest").get(f"/verzeichnis/personen/{hidden.pk}/").status_code == 404
    assert client_for("member").get(f"/verzeichnis/personen/{hidden.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "guest"])
def test_hidden_and_missing_people_answer_404_alike(client_for, persona):
    hidden = _members_only_person()
    missing = Person.objects.order_by("-pk").first().pk + 1000
    assert client_for(persona).get(f"/verzeichnis/personen/{hidden.pk}/").status_code == 404
    assert client_for(persona).get(f"/verzeichnis/personen/{missing}/").status_code == 404


def test_filters_by_city_body_role_and_department(client_for):
    client = client_for("member")
    html = client.get("/verzeichnis/", {"city": "herne", "role": "speaker"}).content.decode()
    assert _speaker().full_name in html
    assert "1 Person gefunden" in html
    bochum = client.get("/verzeichnis/", {"city": "bochum"}).content.decode()
    assert _speaker().full_name not in bochum
    assert all(p.full_name in bochum for p in Person.objects.filter(municipality__slug="bochum", is_active=True)[:3])
    assert client.get("/verzeichnis/", {"body": "gibt-es-nicht"}).status_code == 200  # invalid filter: form error, no 500


def test_search_with_odd_input_never_fails(client_for):
    client = client_for("member")
    for q in ['"Anna', "a%_\\", "x" * 10_000, "'; DROP TABLE members_person; --", "\u202eevil"]:
        assert client.get("/verzeichnis/", {"q": q}).status_code == 200


def test_vcard_contains_only_what_the_viewer_may_see(client_for):
    speaker = _speaker()
    card = client_for("anonymous").get(f"/verzeichnis/personen/{speaker.pk}/vcard/")
    assert card["Content-Type"] == "text/vcard; charset=utf-8"
    text = card.content.decode()
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert f"FN:{speaker.full_name}" in text
    assert f"EMAIL;TYPE=INTERNET,WORK:{speaker.email}" in text
    hidden = _members_only_person()
    hidden.email_visibility = "office"
    hidden.save()
    member_card = client_for("member").get(f"/verzeichnis/personen/{hidden.pk}/vcard/").content.decode()
    assert hidden.email not in member_card


def test_export_neutralises_spreadsheet_formulas(client_for):
    person = _members_only_person()
    person.function = '=HYPERLINK("http://evil.example","klick")'
    person.department = "+1+2"
    person.save()
    client = client_for("office")
    csv_text = client.get("/verzeichnis/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert "'+1+2" in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/verzeichnis/export.xlsx").content))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://evil.example","klick")' in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)
    cells = [cell for row in workbook.active.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in cells)


def test_export_is_for_the_managing_office_only(client_for):
    for persona in ["member", "guest", "outsider"]:
        assert client_for(persona).get("/verzeichnis/export.xlsx").status_code == 404


def _grow_data():
    """Add people in every city so list pages have several times more rows."""
    from members.models import Membership, Municipality

    body = Membership.objects.first().body
    for n, city in enumerate(Municipality.objects.all()):
        for i in range(8):
            person = Person.objects.create(
                given_name=f"Zusatz{i}", family_name=f"Person{n}", municipality=city, profile_visibility="public"
            )
            Membership.objects.create(person=person, body=body, role="member", municipality=city, start_date="2025-01-01")


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("anonymous", "/"),
        ("anonymous", "/mitgliedsstaedte/"),
        ("anonymous", "/verzeichnis/"),
        ("member", "/verzeichnis/"),
        ("member", "/verzeichnis/?city=essen&role=member"),
        ("member", "/gremien/"),
        ("member", "/gremien/projektteam/"),
        ("office", "/verwaltung/kommunen/"),
        ("office", "/konto/einladungen/"),
        ("admin", "/verwaltung/protokoll/"),
    ],
)
def test_list_pages_use_a_constant_number_of_queries(client_for, persona, url, django_assert_max_num_queries):
    client = client_for(persona)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow_data()
    load_demo()  # idempotent: no change
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    # 15 plus the header's unread notification count for signed-in people
    assert len(small.captured_queries) <= 16, [q["sql"] for q in small.captured_queries]


def test_htmx_filter_returns_only_the_results(client_for):
    response = client_for("member").get("/verzeichnis/", {"city": "herne"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert "data-announce=" in html
