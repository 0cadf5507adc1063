"""Hostile files for the text extraction, built at test time (small on disk, huge to process).

Each one passes the upload check (the bytes look like the format they claim) and attacks a
different resource of the extraction:

- ``pdf_shared_content_bomb``: every page points at the same compressed content stream of a
  million empty text operators (just under pypdf's token cap, and no text, so the character cap
  never stops it); reading it page by page costs hours.
- ``pdf_nested_forms``: form XObjects drawing each other ten times per level, so one page draws
  an empty string 10**5 times ("billion laughs" for PDF), on every one of 2,000 pages.
- ``docx_element_flood``: a document.xml of ~50 MB consisting of tiny empty paragraphs, packed
  just under the ratio check; a tree of it takes over a gigabyte of memory.
- ``xlsx_cell_flood``: a worksheet with millions of cells.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.{main}"/></Types>'
)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file with a correct cross-reference table; object 1 must be the catalogue."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        packed = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_shared_content_bomb(pages: int = 2000, operators: int = 900_000) -> bytes:
    """Pages that all share one content stream of ``operators`` operators showing an empty string."""
    content = b"BT /F1 1 Tf " + b"() Tj " * operators + b"ET"
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        _FONT,
        _stream(content),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    objects += [page] * pages
    return _pdf(objects)


def pdf_nested_forms(pages: int = 2000, levels: int = 6, fan_out: int = 10) -> bytes:
    """Pages drawing form X1, which draws X2 ``fan_out`` times, … down to a form showing an empty string.

    pypdf stops after 5,000 form invocations per page, but that is seconds per page, and every page
    does it again.
    """
    first_form = 5 + pages
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        _FONT,
        _stream(b"/X1 Do", compress=False),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X1 %d 0 R >> >> /Contents 4 0 R >>"
    objects += [page % first_form] * pages
    for level in range(1, levels + 1):
        if level < levels:
            body = b" ".join([b"/X%d Do" % (level + 1)] * fan_out)
            resources = b"/Resources << /XObject << /X%d %d 0 R >> >>" % (level + 1, first_form + level)
        else:
            body = b"BT /F1 1 Tf () Tj ET"
            resources = b"/Resources << /Font << /F1 3 0 R >> >>"
        extra = b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] " + resources
        objects.append(_stream(body, extra, compress=False))
    return _pdf(objects)


def _package(part: str, main: str, xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        stamp = (2025, 1, 1, 0, 0, 0)
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", stamp), _CONTENT_TYPES.format(part=part, main=main))
        for name, data in (extra or {}).items():
            archive.writestr(zipfile.ZipInfo(name, stamp), data, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo(part, stamp), xml, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def _salted(unit: bytes, total_bytes: int, every: int) -> bytes:
    """``unit`` repeated to ``total_bytes``, with an XML comment of random letters every ``every`` units.

    The randomness keeps the compression ratio under the extractor's ratio check (a plain repetition
    compresses a thousandfold); the seed keeps the file the same in every run.
    """
    rng = random.Random(5)  # deterministic test data, not cryptography
    block = unit * every
    parts, size = [], 0
    while size < total_bytes:
        salt = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12)).encode()
        piece = block + b"<!--" + salt + b"-->"
        parts.append(piece)
        size += len(piece)
    return b"".join(parts)


def docx_element_flood(megabytes: int = 48) -> bytes:
    """A DOCX whose document.xml is ``megabytes`` of empty paragraphs."""
    body = _salted(b"<w:p/>", megabytes * 1024 * 1024, every=400)
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body>' + body + b"</w:body></w:document>"
    )
    return _package("word/document.xml", "wordprocessingml.document.main+xml", xml)


def xlsx_cell_flood(megabytes: int = 48) -> bytes:
    """An XLSX whose one worksheet holds millions of tiny cells."""
    body = _salted(b"<c><v>1</v></c>", megabytes * 1024 * 1024, every=160)
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row>' + body + b"</row></sheetData></worksheet>"
    )
    return _package("xl/worksheets/sheet1.xml", "spreadsheetml.sheet.main+xml", xml)
