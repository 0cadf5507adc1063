"""The report as files: a tagged PDF/A-3a for the archive (WeasyPrint, like the platform's other PDFs)
and an ODT for further editing in LibreOffice or Word (written here with the standard library).

Both are rendered from a :class:`~annualreport.presentation.Presentation` only. A frozen report keeps
the bytes made at freezing; the ODT writer is deterministic anyway (fixed zip dates, fixed order).
"""

from __future__ import annotations

import io
import os
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .presentation import Presentation

PDF_VARIANT = "pdf/a-3a"  # PDF/A-3, level A: tagged (logical structure), Unicode text, embedded fonts
ODT_MIME = "application/vnd.oasis.opendocument.text"
_ZIP_DATE = (2000, 1, 1, 0, 0, 0)
FONT_SOURCE = Path(__file__).resolve().parent.parent / "static" / "vendor" / "kern" / "fonts" / "fira-sans"
FONT_WEIGHTS = ("Regular", "Bold")


def render_pdf(presentation: Presentation) -> bytes:
    from weasyprint import HTML

    with translation.override("de"):
        html = render_to_string("annualreport/report_pdf.html", {"p": presentation, "font_dir": pdf_font_dir().as_uri()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=PDF_VARIANT)


@cache
def pdf_font_dir() -> Path:
    """The KERN font (Fira Sans) as TrueType for the PDF, converted once from the vendored WOFF2 files.

    WeasyPrint can read WOFF2 itself, but decompressing it costs seconds on every PDF; the TrueType
    copies in the var directory make each later PDF take a fraction of that. The fonts are embedded
    (subset) either way, as PDF/A requires.
    """
    from fontTools.ttLib import TTFont

    target = Path(settings.VAR_DIR) / "fonts"
    target.mkdir(parents=True, exist_ok=True)
    for weight in FONT_WEIGHTS:
        ttf = target / f"FiraSans-{weight}.ttf"
        if not ttf.exists():
            font = TTFont(FONT_SOURCE / f"FiraSans-{weight}.woff2")
            font.flavor = None
            partial = target / f".{ttf.name}.{os.getpid()}"
            font.save(partial)
            partial.replace(ttf)  # atomic: another process never reads half a font
    return target


def _cell(value) -> str:
    if value is None:
        return _("gesperrt")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _p(text: str, style: str = "Standard") -> str:
    return f'<text:p text:style-name="{style}">{escape(text)}</text:p>'


def _h(text: str, level: int) -> str:
    return f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">{escape(text)}</text:h>'


def _paragraphs(text: str) -> list[str]:
    return [_p(part.strip()) for part in text.split("\n\n") if part.strip()]


def _table(name: str, header: list[str], rows: list[list[str]]) -> str:
    columns = f'<table:table-column table:number-columns-repeated="{len(header)}"/>'
    head = "".join(f'<table:table-cell office:value-type="string">{_p(h, "Table_20_Heading")}</table:table-cell>' for h in header)
    body = "".join(
        "<table:table-row>"
        + "".join(f'<table:table-cell office:value-type="string">{_p(c, "Table_20_Contents")}</table:table-cell>' for c in row)
        + "</table:table-row>"
        for row in rows
    )
    return (
        f'<table:table table:name="{escape(name)}">{columns}'
        f"<table:table-header-rows><table:table-row>{head}</table:table-row></table:table-header-rows>{body}</table:table>"
    )


_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
)

_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_NS} office:version="1.3"><office:styles>'
    '<style:default-style style:family="paragraph"><style:text-properties style:font-name="Liberation Sans" '
    'fo:font-size="11pt" fo:language="de" fo:country="DE"/></style:default-style>'
    '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>'
    '<style:style style:name="Title" style:family="paragraph"><style:text-properties fo:font-size="24pt" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1">'
    '<style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2">'
    '<style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph"/>'
    "</office:styles></office:document-styles>"
)


def _body(p: Presentation) -> str:
    parts = [_p(_("Jahresbericht %(year)s") % {"year": p.year}, "Title")]
    report = p.report
    parts.append(
        _p(
            _("Fassung %(number)s, eingefroren am %(day)s.") % {"number": report.number, "day": f"{report.frozen_at:%d.%m.%Y}"}
            if p.frozen and report.frozen_at
            else _("Entwurf: Die Zahlen werden laufend aus der Plattform berechnet.")
        )
    )
    if report.correction_note:
        parts.append(_p(_("Berichtigung: %(note)s") % {"note": report.correction_note}))
    parts.append(_h(_("Vorwort"), 1))
    parts += _paragraphs(p.texts.get("foreword", ""))
    for section in p.sections:
        parts.append(_h(section.title, 1))
        if section.rows or section.total:
            rows = [[str(r["label"]), _cell(r["current"]), _cell(r["previous"])] for r in section.rows]
            if section.total:
                rows.append([str(section.total["label"]), _cell(section.total["current"]), _cell(section.total["previous"])])
            parts.append(_table(section.key, ["", str(p.year), str(p.previous)], rows))
        else:
            parts.append(_p(_("Keine Angaben für diese Jahre.")))
        parts += _paragraphs(section.commentary)
    parts.append(_h(_("Beitrag zur Landesinitiative „Erfolgsfaktor Interkulturelle Öffnung“"), 1))
    for item in p.partner:
        parts.append(_h(item.title, 2))
        parts.append(
            _p(
                _("%(now)s Aktivitäten %(year)s (%(before)s im Vorjahr)")
                % {"now": item.current, "year": p.year, "before": item.previous}
            )
        )
        parts += [_p(example) for example in item.examples]
        parts += _paragraphs(item.text)
    parts.append(_h(_("Ausblick"), 1))
    parts += _paragraphs(p.texts.get("outlook", ""))
    return "".join(parts)


def render_odt(presentation: Presentation) -> bytes:
    with translation.override("de"):
        content = (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} office:version="1.3">'
            f"<office:body><office:text>{_body(presentation)}</office:text></office:body></office:document-content>"
        )
        title = _("Jahresbericht %(year)s") % {"year": presentation.year}
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_NS} office:version="1.3"><office:meta>'
        f"<dc:title>{escape(title)}</dc:title><dc:language>de-DE</dc:language></office:meta></office:document-meta>"
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest {_NS} manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="{ODT_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # ODF: "mimetype" first and uncompressed, so tools can recognise the file by its first bytes.
        archive.writestr(zipfile.ZipInfo("mimetype", date_time=_ZIP_DATE), ODT_MIME, compress_type=zipfile.ZIP_STORED)
        for name, data in (
            ("content.xml", content),
            ("styles.xml", _STYLES),
            ("meta.xml", meta),
            ("META-INF/manifest.xml", manifest),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=_ZIP_DATE), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
