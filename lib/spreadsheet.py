"""CSV and XLSX exports that spreadsheet programs cannot turn into formulas.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read as a formula by Excel and LibreOffice (CSV/formula injection, OWASP). Such
text is prefixed with an apostrophe, which both programs show as plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def neutralise(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _as_text(value: object) -> str:
    value = neutralise(value)
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with BOM and semicolons: what German Excel opens without an import dialog."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([_as_text(h) for h in header])
    for row in rows:
        writer.writerow([_as_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str = "Export") -> bytes:
    # Imported here: openpyxl (and numpy, which it pulls in) would otherwise sit in every web worker.
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([str(h) for h in header])
    for number, row in enumerate(rows, start=2):
        cells = [neutralise(v) for v in row]
        sheet.append(cells)
        for column, value in enumerate(cells, start=1):
            if isinstance(value, str):
                # openpyxl would store a leading "=" as a formula; force a text cell. The cell is fetched by its
                # coordinates: ``sheet[row]`` and ``sheet.max_row`` scan every cell and made long sheets quadratic.
                sheet.cell(row=number, column=column).data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
