"""Text extraction: every accepted office format, and bad files that must neither crash nor hang."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfWriter

from documents import extraction, filetypes, generate

pytestmark = pytest.mark.sqlite_fast


def _ooxml(main: str, parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/x" ContentType="application/vnd.openxmlformats-officedocument.{main}"/></Types>',
        )
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


XLSX = _ooxml(
    "spreadsheetml.sheet.main+xml",
    {
        "xl/sharedStrings.xml": '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Beschäftigte</t></si><si><t>Ausbildungsquote</t></si></sst>',
        "xl/worksheets/sheet1.xml": '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>Essen</t></is></c></row></sheetData></worksheet>',
    },
)
PPTX = _ooxml(
    "presentationml.presentation.main+xml",
    {
        "ppt/slides/slide1.xml": '<p:sld xmlns:p="p" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:p><a:r><a:t>Willkommenskultur</a:t></a:r></a:p></p:sld>',
        "ppt/slides/slide2.xml": '<p:sld xmlns:p="p" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:p><a:r><a:t>Zweite Folie</a:t></a:r></a:p></p:sld>',
    },
)


@pytest.mark.parametrize(
    "data,kind,expected,pages",
    [
        (generate.docx(["Protokoll der Regiegruppe", "Ausbildungen"]), "docx", "Ausbildungen", 1),
        (generate.odf("odt", ["Konzept", "Städte"]), "odt", "Städte", None),
        (generate.odf("ods", ["Tabelle", "Herne"]), "ods", "Herne", None),
        (generate.odf("odp", ["Folie", "Forum"]), "odp", "Forum", 2),
        (XLSX, "xlsx", "Ausbildungsquote", 1),
        (PPTX, "pptx", "Willkommenskultur", 2),
        ("Schöne Grüße\n".encode(), "text", "Grüße", None),
        ("# Titel\n\nMarkdown über Straßen".encode(), "markdown", "Straßen", None),
    ],
    # Explicit ids: the archives carry the time they were built, so ids made from their bytes would differ
    # between pytest-xdist workers and the run would stop with "Different tests were collected".
    ids=["docx", "odt", "ods", "odp", "xlsx", "pptx", "text", "markdown"],
)
def test_formats_are_detected_and_their_text_extracted(data, kind, expected, pages):
    name = {"markdown": "x.md"}.get(kind, "datei")
    detected = filetypes.detect(io.BytesIO(data), name)
    assert detected.code == kind
    result = extraction.extract(kind, io.BytesIO(data))
    assert expected in result.text
    assert result.pages == pages


def test_pdf_text_and_pages():
    data = generate.pdf("Protokoll", ["Die Städte vereinbaren Ausbildungen."])
    result = extraction.extract("pdf", io.BytesIO(data))
    assert "Ausbildungen" in result.text and result.pages == 1


def _pdf(encrypt: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if encrypt:
        writer.encrypt(encrypt)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        _pdf(),  # no text layer (a scan)
        _pdf(encrypt="geheim"),
        b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> kaputt",
        b"%PDF-",
    ],
    ids=["empty", "encrypted", "corrupt", "truncated"],
)
def test_bad_pdfs_are_not_extractable_and_never_crash(data):
    with pytest.raises(extraction.NotExtractable):
        extraction.extract("pdf", io.BytesIO(data))


def test_compression_bomb_in_an_office_file_stops_early():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document>" + " " * (30 * 1024 * 1024) + "</w:document>")
    data = buffer.getvalue()
    assert len(data) < 100_000
    assert filetypes.detect(io.BytesIO(data)).code == "docx"
    with pytest.raises(extraction.NotExtractable, match="limit"):
        extraction.extract("docx", io.BytesIO(data))


def test_entity_declarations_in_office_xml_are_refused():
    doc = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><w:document xmlns:w="w"><w:p><w:t>&lol;</w:t></w:p></w:document>'
    data = _ooxml("wordprocessingml.document.main+xml", {"word/document.xml": doc})
    with pytest.raises(extraction.NotExtractable):
        extraction.extract("docx", io.BytesIO(data))


def test_damaged_zip_is_refused_at_upload():
    with pytest.raises(filetypes.Refused):
        filetypes.detect(io.BytesIO(b"PK\x03\x04" + b"\x00" * 50))
