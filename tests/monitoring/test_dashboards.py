"""Who sees which results, what the dashboards and exports contain, and that they read aggregates only."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from monitoring import actions, pdf
from monitoring.models import AggregateCell, MonitoringAccess, Wave
from tests.support.clock import FROZEN_NOW  # the dates below stay in the future on any day

from .conftest import make_wave

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(FROZEN_NOW)]


@pytest.fixture
def hr_essen(personas, cooperation):
    from members.models import Municipality
    from tests.conftest import make_user

    user = make_user("personal@essen.example")
    MonitoringAccess.objects.create(user=user, municipality=Municipality.objects.get(slug="essen"), function="hr")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_city_staff_see_their_city_only(final_round, hr_essen):
    assert hr_essen.get("/monitoring/runden/2026/essen/").status_code == 200
    assert hr_essen.get("/monitoring/runden/2026/bochum/").status_code == 404
    assert hr_essen.get("/monitoring/runden/2026/vergleich/").status_code == 404
    assert hr_essen.get("/monitoring/runden/2026/bochum/daten.csv").status_code == 404
    assert hr_essen.get("/monitoring/runden/2026/essen/daten.json").status_code == 200
    overview = hr_essen.get("/monitoring/").content.decode()
    assert "/monitoring/runden/2026/essen/" in overview and "vergleich" not in overview


def test_regiegruppe_sees_the_comparison(final_round, client_for):
    member = client_for("member")
    page = member.get("/monitoring/runden/2026/vergleich/")
    assert page.status_code == 200
    body = page.content.decode()
    for city in ("Essen", "Bochum", "Herne", "Alle Städte"):
        assert city in body
    assert member.get("/monitoring/runden/2026/vergleich/?konzept=eg&merkmal=age_band").status_code == 200
    assert client_for("guest").get("/monitoring/runden/2026/vergleich/").status_code == 404


def test_public_sees_only_released_waves(final_round, personas, anonymous):
    assert anonymous.get("/monitoring/ergebnisse/2026/").status_code == 404
    essen = Wave.objects.get(round=final_round, municipality__slug="essen")
    actions.set_wave_status(personas["office"], essen, Wave.Status.RELEASED)
    page = anonymous.get("/monitoring/ergebnisse/2026/").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert "Essen" in main
    assert "Bochum" not in main and "Alle Städte</th>" not in main
    assert anonymous.get("/monitoring/ergebnisse/2026/essen/").status_code == 200
    assert anonymous.get("/monitoring/ergebnisse/2026/bochum/").status_code == 404
    rows = json.loads(anonymous.get("/monitoring/ergebnisse/2026/daten.json").content)["zeilen"]
    assert {row["stadt"] for row in rows} == {"Essen"}
    for wave in Wave.objects.filter(round=final_round).exclude(pk=essen.pk):
        actions.set_wave_status(personas["office"], wave, Wave.Status.RELEASED)
    rows = json.loads(anonymous.get("/monitoring/ergebnisse/2026/daten.json").content)["zeilen"]
    assert {row["stadt"] for row in rows} == {"Essen", "Bochum", "Herne", "Alle Städte"}


def test_dashboards_read_aggregates_only_with_a_constant_number_of_queries(final_round, client_for, hr_essen, personas):
    office = client_for("office")
    urls = [
        "/monitoring/runden/2026/vergleich/",
        "/monitoring/runden/2026/essen/",
        "/monitoring/runden/2026/vergleich/daten.json",
    ]
    office.get("/monitoring/")  # warm-up: the first request of a session records it (allauth usersessions)
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert office.get(url).status_code == 200
        before[url] = len(queries)
        assert not [q for q in queries if "monitoring_response" in q["sql"]], f"{url} reads raw responses"
    # Twice the data: another finalised round with more cities and answers.
    from monitoring.demo import synthetic_responses
    from monitoring.models import Response, SurveyRound

    bigger = SurveyRound.objects.create(
        slug="2027", name="Runde 2027", questionnaire=final_round.questionnaire, previous=final_round
    )
    import random

    rng = random.Random(9)
    for slug in ("essen", "bochum", "herne", "hagen", "dortmund"):
        wave = make_wave(bigger, slug)
        Response.objects.bulk_create(synthetic_responses(wave, 300, 0.15, rng))
        actions.set_wave_status(personas["office"], wave, Wave.Status.CLOSED)
    actions.finalise_round(personas["office"], bigger)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert office.get(url).status_code == 200
        assert len(queries) == before[url], url
        with CaptureQueriesContext(connection) as queries:
            assert office.get(url.replace("2026", "2027")).status_code == 200
        assert len(queries) == before[url], url


def test_suppressed_cells_carry_one_neutral_mark_explained_once(final_round, client_for):
    office = client_for("office")
    suppressed = AggregateCell.objects.filter(round=final_round, municipality__slug="herne").exclude(positives_reason="").first()
    assert suppressed is not None
    page = office.get(f"/monitoring/runden/2026/herne/?konzept={suppressed.concept}").content.decode()
    assert 'class="suppressed"' in page
    assert page.count('id="sperrgrund"') == 1
    for reason_text in ("mitgesperrt", "Alle oder keine", "gesperrt:", "<sup"):
        assert reason_text not in page


def test_csv_and_xlsx_exports_are_formula_safe(cooperation, survey_round, personas, client_for):
    import random

    from monitoring.demo import synthetic_responses
    from monitoring.models import Response

    items = [{"key": "frage", "text": '=HYPERLINK("http://evil","x")', "choices": [["a", "+SUM(1,1)"], ["b", "@cmd"]]}]
    wave = make_wave(survey_round, "essen", local_items=items)
    Response.objects.bulk_create(synthetic_responses(wave, 120, 0.2, random.Random(3)))
    actions.set_wave_status(personas["office"], wave, Wave.Status.CLOSED)
    actions.finalise_round(personas["office"], survey_round)
    office = client_for("office")
    text = office.get("/monitoring/runden/2026/essen/daten.csv").content.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text), delimiter=";"))
    dangerous = [cell for record in records for cell in record if cell[:1] in {"=", "+", "@", "-"}]
    assert dangerous == []
    assert any(cell.startswith("'=HYPERLINK") for record in records for cell in record)
    book = load_workbook(io.BytesIO(office.get("/monitoring/runden/2026/essen/daten.xlsx").content))
    values = [cell for row in book.active.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert all(not cell.value.startswith(("=", "+", "@")) for cell in values)
    assert all(cell.data_type == "s" for cell in values)


def test_json_api_marks_suppression_with_null_and_no_reason(final_round, client_for):
    data = json.loads(client_for("office").get("/monitoring/runden/2026/vergleich/daten.json").content)
    assert data["runde"]["mindestzahl_antworten_k"] == 10
    assert "null" in data["zeichenerklaerung"]
    assert all("sperrgrund" not in row for row in data["zeilen"])
    hidden = [row for row in data["zeilen"] if row["mit_merkmal"] is None]
    assert hidden
    for row in hidden:
        assert row["anteil"] is None and row["ki_unten"] is None and row["ki_oben"] is None
    shown = [row for row in data["zeilen"] if row["antworten_klassifiziert"] is not None]
    assert all(row["antworten_klassifiziert"] >= 10 for row in shown)


def test_dcat_catalogue_lists_released_waves_with_mandatory_properties(final_round, personas, anonymous):
    for wave in Wave.objects.filter(round=final_round):
        actions.set_wave_status(personas["office"], wave, Wave.Status.RELEASED)
    response = anonymous.get("/monitoring/offene-daten/katalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    for key in ("dct:title", "dct:description", "dct:publisher"):
        assert catalog[key]
    datasets = catalog["dcat:dataset"]
    assert len(datasets) == 4  # three cities and the cooperation
    for dataset in datasets:
        for key in ("dct:title", "dct:description", "dct:publisher", "dcat:keyword", "dcat:distribution", "dcat:contactPoint"):
            assert dataset[key], key
        for distribution in dataset["dcat:distribution"]:
            assert distribution["dct:license"]["@id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
            assert distribution["dcat:accessURL"]["@id"].startswith("http://testserver/monitoring/ergebnisse/")
    essen = next(d for d in datasets if d["dct:identifier"].endswith("05113000"))
    assert essen["dcatde:politicalGeocodingURI"]["@id"].endswith("05113000")
    path = essen["dcat:distribution"][0]["dcat:accessURL"]["@id"].removeprefix("http://testserver")
    assert anonymous.get(path).status_code == 200


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint is not installed")
def test_pdf_report_renders_the_charts(final_round, client_for):
    response = client_for("member").get("/monitoring/runden/2026/bericht.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 20_000


def test_office_runs_a_wave_through_the_views(cooperation, survey_round, client_for):
    from members.models import Municipality

    office = client_for("office")
    response = office.post(
        "/monitoring/verwaltung/runden/2026/wellen/neu/",
        {
            "municipality": Municipality.objects.get(slug="hagen").pk,
            "fielding_start": "2026-01-01",
            "fielding_end": "2030-12-31",
            "local_items_json": "",
        },
    )
    assert response.status_code == 302
    wave = Wave.objects.get(municipality__slug="hagen")
    codes = office.post(f"/monitoring/verwaltung/wellen/{wave.pk}/codes/", {"count": 3, "output": "csv"})
    assert codes["Content-Type"].startswith("text/csv")
    plain = [row[1] for row in csv.reader(io.StringIO(codes.content.decode("utf-8-sig")), delimiter=";")][1:]
    assert len(plain) == 3
    office.post(f"/monitoring/verwaltung/wellen/{wave.pk}/status/", {"status": "fielding"})
    assert Client().post("/umfrage/", {"code": plain[0]}).status_code == 200
    wrong = office.post(f"/monitoring/verwaltung/wellen/{wave.pk}/status/", {"status": "released"}, follow=True)
    assert "kann nicht" in wrong.content.decode()
    if pdf.available():
        letters = office.post(f"/monitoring/verwaltung/wellen/{wave.pk}/codes/", {"count": 2, "output": "pdf"})
        assert letters.content.startswith(b"%PDF")


def test_import_pages_show_line_errors(cooperation, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    office = client_for("office")
    upload = SimpleUploadedFile(
        "bev.csv", b"kommune;stichtag;konzept;quelle;anteil_gesamt_prozent\natlantis;1.1.2020;mh_register;x;5\n"
    )
    page = office.post("/monitoring/verwaltung/bevoelkerung/", {"file": upload}).content.decode()
    assert "Zeile 2" in page and "keine Mitgliedsstadt" in page


def test_city_hr_staff_import_their_own_headcounts(hr_essen, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "kommune;stichtag;merkmal;auspraegung;beschaeftigte;quelle\nBochum;31.12.2025;gesamt;gesamt;100;x\n"
    page = hr_essen.post("/monitoring/verwaltung/beschaeftigte/", {"file": SimpleUploadedFile("p.csv", text.encode())})
    assert "nur Zahlen für Essen" in page.content.decode()
    ok = "kommune;stichtag;merkmal;auspraegung;beschaeftigte;quelle\nEssen;31.12.2025;gesamt;gesamt;100;x\n"
    assert (
        hr_essen.post("/monitoring/verwaltung/beschaeftigte/", {"file": SimpleUploadedFile("p.csv", ok.encode())}).status_code
        == 302
    )
    assert client_for("member").get("/monitoring/verwaltung/beschaeftigte/").status_code == 404


def test_trend_compares_rounds_of_the_same_concept(final_round, personas, client_for):
    import math
    import random

    from monitoring.demo import synthetic_responses
    from monitoring.models import Response, SurveyRound

    later = SurveyRound.objects.create(
        slug="2027", name="Runde 2027", questionnaire=final_round.questionnaire, previous=final_round
    )
    wave = make_wave(later, "essen")
    Response.objects.bulk_create(synthetic_responses(wave, 500, 0.2, random.Random(2)))
    actions.set_wave_status(personas["office"], wave, Wave.Status.CLOSED)
    actions.finalise_round(personas["office"], later)
    page = client_for("office").get("/monitoring/runden/2027/essen/")
    trend = page.context["report"].trend
    assert [row.label for row in trend] == ["Beschäftigtenbefragung 2026", "Runde 2027"]
    first, second = trend[0].cell, trend[1].cell
    assert trend[0].change_pp is None
    assert trend[1].change_pp[0] == pytest.approx(100 * (second.share - first.share))
    # reference: two-proportion z-test, pooled share, variances with finite population correction
    pooled = (first.positives + second.positives) / (first.classified + second.classified)

    def variance(cell):
        fpc = (cell.headcount - cell.classified) / (cell.headcount - 1)
        return pooled * (1 - pooled) / cell.classified * fpc

    z = (second.share - first.share) / math.sqrt(variance(first) + variance(second))
    assert trend[1].p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-6)
