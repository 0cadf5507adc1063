"""Minimal office files made by code: for the demo, the tests and the benchmark.

Each function returns the bytes of a valid file with the given paragraphs, small but complete
enough for LibreOffice and Word to open and for our extraction to read.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _zip(entries: list[tuple[str, str | bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buffer.getvalue()


def docx(paragraphs: list[str]) -> bytes:
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs)
    return _zip(
        [
            (
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                "</Types>",
            ),
            (
                "_rels/.rels",
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_REL}"><Relationship Id="rId1" Type="{_DOC_REL}" Target="word/document.xml"/></Relationships>',
            ),
            (
                "word/document.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>',
            ),
        ]
    )


_ODF_MIME = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
)


def odf(kind: str, paragraphs: list[str]) -> bytes:
    """An ODT (text), ODS (one column of cells) or ODP (one slide per paragraph)."""
    ps = [f"<text:p>{escape(p)}</text:p>" for p in paragraphs]
    if kind == "odt":
        body = f"<office:text>{''.join(ps)}</office:text>"
    elif kind == "ods":
        rows = "".join(f"<table:table-row><table:table-cell>{p}</table:table-cell></table:table-row>" for p in ps)
        body = f'<office:spreadsheet><table:table table:name="Tabelle1">{rows}</table:table></office:spreadsheet>'
    else:
        slides = "".join(
            f'<draw:page draw:name="Folie {i}"><draw:frame><draw:text-box>{p}</draw:text-box></draw:frame></draw:page>'
            for i, p in enumerate(ps, 1)
        )
        body = f"<office:presentation>{slides}</office:presentation>"
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS} office:version="1.3"><office:body>{body}</office:body></office:document-content>'
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest {_ODF_NS} manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODF_MIME[kind]}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    return _zip([("mimetype", _ODF_MIME[kind]), ("content.xml", content), ("META-INF/manifest.xml", manifest)], stored_first=True)


def pdf(title: str, paragraphs: list[str]) -> bytes:
    """A tagged PDF through WeasyPrint (the same engine as the platform's other PDFs)."""
    from weasyprint import HTML

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>{body}</body></html>'
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
