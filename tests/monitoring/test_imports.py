"""CSV imports of population figures and HR headcounts: forgiving about form, strict about content."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from audit.models import AuditEvent
from monitoring.imports import import_headcounts, import_population
from monitoring.models import HRHeadcount, PopulationReference
from tests.support.clock import FROZEN_NOW  # the dates below stay in the future on any day

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(FROZEN_NOW)]

HEADER = "kommune;stichtag;konzept;einwohner_gesamt;anteil_gesamt_prozent;quelle;url"
DEMO_FILE = Path(__file__).resolve().parents[2] / "monitoring" / "data" / "population_reference.csv"


def test_shipped_reference_figures_import_cleanly(cooperation, personas):
    result = import_population(DEMO_FILE.read_bytes(), personas["office"])
    assert result.ok, result.errors
    assert result.created == PopulationReference.objects.count() >= 30
    essen = PopulationReference.objects.get(municipality__slug="essen", concept="mh_register")
    assert essen.share_total == Decimal("0.343300")
    assert essen.population_total == 591_018
    assert essen.reference_date == dt.date(2019, 12, 31)
    again = import_population(DEMO_FILE.read_bytes(), personas["office"])
    assert again.ok and again.created == 0 and again.updated == result.created  # idempotent
    assert AuditEvent.objects.filter(action="monitoring.population_imported").count() == 2


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", False), ("utf-8", True), ("cp1252", False)],
)
def test_encodings(cooperation, personas, encoding, bom):
    text = HEADER + "\nMülheim an der Ruhr;15.05.2022;population;171.435;;Stadt Mülheim – Zensus;\n"
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
    result = import_population(data, personas["office"])
    assert result.ok, result.errors
    row = PopulationReference.objects.get()
    assert row.population_total == 171_435
    assert row.source == "Stadt Mülheim – Zensus"


def test_comma_separator_with_quoted_decimal_comma_and_iso_dates(cooperation, personas):
    text = 'kommune,stichtag,konzept,anteil_gesamt_prozent,quelle\n05113000,2019-12-31,mh_register,"34,33 %",Stadt Essen\n'
    result = import_population(text.encode(), personas["office"])
    assert result.ok, result.errors
    assert PopulationReference.objects.get().share_total == Decimal("0.343300")


def test_tab_separator_and_decimal_point(cooperation, personas):
    text = "kommune\tstichtag\tkonzept\tanteil_gesamt_prozent\tquelle\nhagen\t31.12.2019\tmh_microcensus\t43.3\tIT.NRW\n"
    assert import_population(text.encode(), personas["office"]).ok
    assert PopulationReference.objects.get().share_total == Decimal("0.433000")


def test_wrong_columns_are_reported_and_nothing_is_imported(cooperation, personas):
    text = "stadt;datum;konzept;quelle\nessen;31.12.2019;mh_register;x\n"
    result = import_population(text.encode(), personas["office"])
    assert not result.ok
    messages = " ".join(message for _line, message in result.errors)
    assert "Unbekannte Spalten: stadt, datum" in messages
    assert "Es fehlen die Spalten: kommune, stichtag" in messages
    assert PopulationReference.objects.count() == 0


def test_line_errors_name_the_line_and_nothing_is_half_imported(cooperation, personas):
    text = "\n".join(
        [
            HEADER,
            "essen;31.12.2019;mh_register;591.018;34,33;Stadt Essen;",
            "atlantis;31.12.2019;mh_register;;12;x;",
            "essen;31.02.2019;mh_register;;12;x;",
            "essen;31.12.2018;mh_irgendwas;;12;x;",
            "essen;31.12.2017;mh_register;;134,5;x;",
            "essen;31.12.2016;mh_register;zwölf;;x;",
            "essen;31.12.2015;mh_register;;12;;",
            "essen;31.12.2019;mh_register;;30;doppelt;",
            "essen;31.12.2014;mh_register;;12;x;ftp://nicht-erlaubt",
            "essen;31.12.2013;mh_register;;12;x",
        ]
    )
    result = import_population(text.encode(), personas["office"])
    lines = dict(result.errors)
    assert set(lines) == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert "keine Mitgliedsstadt" in lines[3]
    assert "kein Datum" in lines[4]
    assert "unbekannt" in lines[5]
    assert "nicht zwischen 0 und 100" in lines[6]
    assert "keine ganze Zahl" in lines[7]
    assert "braucht eine Quelle" in lines[8]
    assert "Zeile 2" in lines[9]
    assert "http" in lines[10]
    assert "Trennzeichen" in lines[11]
    assert PopulationReference.objects.count() == 0  # the good line 2 was not imported either


HEADCOUNTS = """kommune;stichtag;merkmal;auspraegung;beschaeftigte;quelle
Essen;31.12.2025;gesamt;gesamt;10.140;Personalstatistik
Essen;31.12.2025;Nachwuchskraft;ja;640;Personalstatistik
Essen;31.12.2025;Nachwuchskraft;nein;9.500;Personalstatistik
Essen;31.12.2025;Geschlecht;weiblich;6000;Personalstatistik
Essen;31.12.2025;Geschlecht;männlich;4100;Personalstatistik
Essen;31.12.2025;Geschlecht;divers;40;Personalstatistik
"""


def test_headcounts_with_labels_and_codes(cooperation, personas):
    result = import_headcounts(HEADCOUNTS.encode("cp1252"), personas["office"])
    assert result.ok, result.errors
    assert HRHeadcount.objects.get(attribute="total").headcount == 10_140
    assert HRHeadcount.objects.get(attribute="gender", category="male").headcount == 4_100
    assert HRHeadcount.objects.get(attribute="trainee", category="yes").headcount == 640


def test_headcount_margins_must_add_up(cooperation, personas):
    broken = HEADCOUNTS.replace("divers;40", "divers;41")
    result = import_headcounts(broken.encode(), personas["office"])
    assert not result.ok
    assert "ergeben zusammen 10141" in result.errors[0][1]
    assert HRHeadcount.objects.count() == 0


def test_headcount_categories_are_checked(cooperation, personas):
    text = HEADCOUNTS + "Essen;31.12.2025;Altersgruppe;uralt;3;Personalstatistik\nEssen;31.12.2025;Haarfarbe;blond;3;x\n"
    result = import_headcounts(text.encode(), personas["office"])
    lines = dict(result.errors)
    assert "uralt" in lines[8] and "under_30" in lines[8]
    assert "Haarfarbe" in lines[9]
    assert HRHeadcount.objects.count() == 0


def test_city_staff_may_only_import_their_own_city(cooperation, personas):
    from members.models import Municipality

    result = import_headcounts(HEADCOUNTS.encode(), personas["member"], restrict_to=Municipality.objects.get(slug="bochum"))
    assert not result.ok
    assert all("nur Zahlen für Bochum" in message for _line, message in result.errors)


def test_empty_file_and_only_header(cooperation, personas):
    assert not import_population(b"", personas["office"]).ok
    assert "keine Datenzeilen" in import_population(HEADER.encode(), personas["office"]).errors[0][1]
