"""Text from uploaded files, bounded in time and memory whatever the file contains.

Office files are ZIP packages of XML: every read is capped (total decompressed bytes and the
ratio to the compressed size), so a compression bomb stops early. XML with a DOCTYPE is refused
(entity expansion). PDFs that are encrypted, damaged or without a text layer are marked
"not extractable"; nothing here raises for a bad file.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2_000_000
MAX_XML_BYTES = 50 * 1024 * 1024  # per package, decompressed
MAX_RATIO = 200  # decompressed : compressed of one member
MAX_PDF_PAGES = 2000


class NotExtractable(Exception):
    pass


@dataclass
class Extracted:
    text: str
    pages: int | None


def _clean(text: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return text.strip()[:MAX_TEXT_CHARS]


class BoundedPackage:
    """A ZIP package whose members are read with a shared budget of decompressed bytes."""

    def __init__(self, file):
        try:
            self.archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise NotExtractable("not a zip") from exc
        self.budget = MAX_XML_BYTES

    def names(self) -> list[str]:
        return self.archive.namelist()

    def read(self, name: str) -> bytes:
        try:
            info = self.archive.getinfo(name)
        except KeyError as exc:
            raise NotExtractable(f"missing {name}") from exc
        limit = min(self.budget, max(info.compress_size, 1) * MAX_RATIO, MAX_XML_BYTES)
        chunks, total = [], 0
        try:
            with self.archive.open(info) as member:
                while chunk := member.read(64 * 1024):
                    total += len(chunk)
                    if total > limit:
                        raise NotExtractable("decompressed size over the limit")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:
            raise NotExtractable("damaged member") from exc
        self.budget -= total
        return b"".join(chunks)

    def xml(self, name: str) -> ElementTree.Element:
        data = self.read(name)
        if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
            raise NotExtractable("DOCTYPE in office XML")
        try:
            return ElementTree.fromstring(data)  # noqa: S314 - no DOCTYPE/entities (checked above), size capped
        except ElementTree.ParseError as exc:
            raise NotExtractable("XML parse error") from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _paragraphs(root: ElementTree.Element, paragraph_tags: set[str], text_tag: str | None = None) -> list[str]:
    """Text of each paragraph, in document order: only ``text_tag`` elements (OOXML) or all text (ODF)."""
    out = []
    for paragraph in root.iter():
        if _local(paragraph.tag) not in paragraph_tags:
            continue
        if text_tag:
            text = "".join(e.text or "" for e in paragraph.iter() if _local(e.tag) == text_tag)
        else:
            text = "".join(paragraph.itertext())
        if text.strip():
            out.append(text)
    return out


def _docx(package: BoundedPackage) -> Extracted:
    root = package.xml("word/document.xml")
    paragraphs = _paragraphs(root, {"p"}, "t")
    page_breaks = sum(1 for e in root.iter() if _local(e.tag) == "lastRenderedPageBreak")
    return Extracted("\n".join(paragraphs), page_breaks + 1 if paragraphs else None)


def _xlsx(package: BoundedPackage) -> Extracted:
    texts: list[str] = []
    if "xl/sharedStrings.xml" in package.names():
        texts += _paragraphs(package.xml("xl/sharedStrings.xml"), {"si"}, "t")
    sheets = sorted(n for n in package.names() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    for name in sheets:
        root = package.xml(name)
        texts += [e.text for e in root.iter() if _local(e.tag) == "t" and e.text]
    return Extracted("\n".join(texts), len(sheets) or None)


def _pptx(package: BoundedPackage) -> Extracted:
    slides = sorted(
        (n for n in package.names() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
        key=lambda n: int(re.search(r"(\d+)", n.rsplit("/", 1)[1]).group(1)),
    )
    texts = []
    for name in slides:
        texts.append("\n".join(_paragraphs(package.xml(name), {"p"}, "t")))
    return Extracted("\n\n".join(texts), len(slides) or None)


def _odf(package: BoundedPackage) -> Extracted:
    root = package.xml("content.xml")
    paragraphs = _paragraphs(root, {"p", "h"})
    pages = sum(1 for e in root.iter() if _local(e.tag) == "page")  # slides of a presentation
    return Extracted("\n".join(paragraphs), pages or None)


def _pdf(file) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(file)
        if reader.is_encrypted and not reader.decrypt(""):
            raise NotExtractable("encrypted")
        pages = reader.pages
        count = len(pages)
        texts, total = [], 0
        for page in list(pages)[:MAX_PDF_PAGES]:
            text = page.extract_text() or ""
            texts.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
    except NotExtractable:
        raise
    except (
        PyPdfError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        OSError,
        RecursionError,
        ZeroDivisionError,
    ) as exc:
        raise NotExtractable(f"pdf: {exc.__class__.__name__}") from exc
    except Exception as exc:  # pypdf raises many kinds on broken files; a bad file must never stop the worker
        logger.warning("PDF text extraction failed: %r", exc)
        raise NotExtractable("pdf: unexpected") from exc
    return Extracted("\n\n".join(texts), count)


def _plain(file) -> Extracted:
    data = file.read(MAX_TEXT_CHARS * 2)
    text = data.decode("utf-8-sig", errors="replace")
    return Extracted(text, None)


EXTRACTORS = {"docx": _docx, "xlsx": _xlsx, "pptx": _pptx, "odt": _odf, "ods": _odf, "odp": _odf}


def extract(kind: str, file) -> Extracted:
    """Text and page count of ``file`` (opened binary). Raises NotExtractable for anything unreadable."""
    if kind == "pdf":
        result = _pdf(file)
    elif kind in EXTRACTORS:
        result = EXTRACTORS[kind](BoundedPackage(file))
    elif kind in {"text", "markdown", "csv"}:
        result = _plain(file)
    else:
        raise NotExtractable("no text in this kind")
    text = _clean(result.text)
    if not text:
        raise NotExtractable("empty")
    return Extracted(text, result.pages)
