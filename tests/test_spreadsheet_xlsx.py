"""The hand-written XLSX export: read back by a spreadsheet library, with the right cell types and no formula."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from lib.spreadsheet import to_xlsx

pytestmark = pytest.mark.sqlite_fast


def _read(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_values_keep_their_types_and_text_never_becomes_a_formula():
    rows = [
        [1, "=SUMME(A1:A9)", Decimal("1234.56"), dt.date(2024, 2, 29), dt.datetime(2025, 3, 3, 14, 30), True, None],
        [2, "+49 201 123", 0.5, dt.date(1999, 12, 31), dt.datetime(2025, 7, 1, 8, 0, tzinfo=ZoneInfo("UTC")), False, ""],
    ]
    data = to_xlsx(["Nr", "Text", "Betrag", "Tag", "Zeit", "Ja", "Leer"], rows, title="Belegliste")
    sheet = _read(data)
    assert sheet.title == "Belegliste" and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Nr", "Text", "Betrag", "Tag", "Zeit", "Ja", "Leer"]
    first = [c.value for c in sheet[2]]
    assert first[0] == 1 and first[1] == "'=SUMME(A1:A9)" and first[2] == pytest.approx(1234.56)
    assert first[3] == dt.datetime(2024, 2, 29) and first[4] == dt.datetime(2025, 3, 3, 14, 30)
    assert first[5] is True and first[6] is None
    second = [c.value for c in sheet[3]]
    assert second[1] == "'+49 201 123"  # neutralised, still readable
    assert second[4] == dt.datetime(2025, 7, 1, 10, 0)  # an aware time in Berlin's wall-clock time
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_characters_xml_cannot_hold_and_markup_are_safe():
    data = to_xlsx(["A"], [['a<b & "c" \x01\x0b end'], ["Grüße ✓ 😀"]], title="Sheet: [1]/2?*'")
    sheet = _read(data)
    assert sheet["A2"].value == 'a<b & "c"  end' and sheet["A3"].value == "Grüße ✓ 😀"
    assert sheet.title == "Sheet- -1--2--" and len(sheet.title) <= 31


def test_a_long_sheet_is_complete():
    data = to_xlsx(["Nr", "Betrag"], ([n, Decimal(n) / 100] for n in range(5000)))
    sheet = _read(data)
    assert sheet.max_row == 5001 and sheet["A5001"].value == 4999 and sheet["B5001"].value == pytest.approx(49.99)
