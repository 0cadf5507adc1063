"""Text from uploaded files, bounded in time and memory whatever the file contains.

Office files are ZIP packages of XML: every read is capped (total decompressed bytes and the
ratio to the compressed size), so a compression bomb stops early; the XML is parsed as a stream
(expat events, no tree) with a cap on the number of elements, so a flood of tiny elements costs
neither memory nor hours. XML with a DOCTYPE is refused (entity expansion). PDFs that are
encrypted, damaged or without a text layer are marked "not extractable"; nothing here raises for
a bad file. This module runs in a child process with CPU, memory and wall-time limits
(``extract_isolated``, ``lib/isolation.py``); it does not import Django.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from lib import isolation

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2_000_000
MAX_XML_BYTES = 50 * 1024 * 1024  # per package, decompressed
MAX_XML_ELEMENTS = 2_000_000  # per package
MAX_RATIO = 200  # decompressed : compressed of one member
MAX_PDF_PAGES = 2000
_CHUNK = 64 * 1024


class NotExtractable(Exception):
    """The file holds no text we can read (encrypted, damaged, a scan): nothing to retry."""


class LimitExceeded(NotExtractable):
    """The file is larger or more complex than the caps allow: its extraction failed on purpose."""


@dataclass
class Extracted:
    text: str
    pages: int | None


def _clean(text: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return text.strip()[:MAX_TEXT_CHARS]


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


@dataclass
class _Collector:
    """Paragraph texts from a stream of expat events.

    A paragraph is an element named in ``paragraph_tags``; its text is the character data inside
    ``text_tag`` elements (OOXML) or all character data (ODF, ``text_tag`` None). Nested paragraphs
    (text boxes) are paragraphs of their own. ``counted`` names elements to count (pages, slides).
    """

    paragraph_tags: set[str]
    text_tag: str | None = None
    counted: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    count: int = 0
    chars: int = 0
    _open: list[list[str]] = field(default_factory=list)
    _in_text: int = 0

    def start(self, name: str, _attributes) -> None:
        local = _local(name)
        if local in self.paragraph_tags:
            self._open.append([])
        if local == self.text_tag:
            self._in_text += 1
        if local == self.counted:
            self.count += 1

    def end(self, name: str) -> None:
        local = _local(name)
        if local == self.text_tag:
            self._in_text -= 1
        if local in self.paragraph_tags and self._open:
            text = "".join(self._open.pop())
            if text.strip() and self.chars < MAX_TEXT_CHARS:
                self.paragraphs.append(text)
                self.chars += len(text)

    def data(self, text: str) -> None:
        if self._open and (self.text_tag is None or self._in_text) and self.chars < MAX_TEXT_CHARS:
            self._open[-1].append(text)


class BoundedPackage:
    """A ZIP package whose members are read with shared budgets of decompressed bytes and elements."""

    def __init__(self, file):
        try:
            self.archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise NotExtractable("not a zip") from exc
        self.budget = MAX_XML_BYTES
        self.elements = MAX_XML_ELEMENTS

    def names(self) -> list[str]:
        return self.archive.namelist()

    def chunks(self, name: str) -> Iterator[bytes]:
        """The member's bytes, chunk by chunk, stopping when the actual size passes a limit.

        The sizes declared in the ZIP directory are not trusted: the count is of bytes really inflated.
        """
        try:
            info = self.archive.getinfo(name)
        except KeyError as exc:
            raise NotExtractable(f"missing {name}") from exc
        limit = min(self.budget, max(info.compress_size, 1) * MAX_RATIO, MAX_XML_BYTES)
        if info.file_size > limit:
            raise LimitExceeded("declared decompressed size over the limit")
        total = 0
        try:
            with self.archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise LimitExceeded("decompressed size over the limit")
                    yield chunk
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:
            raise NotExtractable("damaged member") from exc
        finally:
            self.budget -= total

    def parse(self, name: str, collector: _Collector) -> _Collector:
        """Feed one XML member through ``collector``; refuses DTDs and counts elements against the cap."""
        parser = expat.ParserCreate(namespace_separator="}")

        def refuse_dtd(*_args) -> None:
            raise NotExtractable("DOCTYPE in office XML")

        def start(tag: str, attributes) -> None:
            self.elements -= 1
            if self.elements < 0:
                raise LimitExceeded("too many XML elements")
            collector.start(tag, attributes)

        parser.StartDoctypeDeclHandler = refuse_dtd
        parser.EntityDeclHandler = refuse_dtd
        parser.StartElementHandler = start
        parser.EndElementHandler = collector.end
        parser.CharacterDataHandler = collector.data
        parser.buffer_text = True
        try:
            for chunk in self.chunks(name):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise NotExtractable("XML parse error") from exc
        return collector


def _docx(package: BoundedPackage) -> Extracted:
    found = package.parse("word/document.xml", _Collector({"p"}, "t", counted="lastRenderedPageBreak"))
    return Extracted("\n".join(found.paragraphs), found.count + 1 if found.paragraphs else None)


def _xlsx(package: BoundedPackage) -> Extracted:
    texts: list[str] = []
    if "xl/sharedStrings.xml" in package.names():
        texts += package.parse("xl/sharedStrings.xml", _Collector({"si"}, "t")).paragraphs
    sheets = sorted(n for n in package.names() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    for name in sheets:
        texts += package.parse(name, _Collector({"t"})).paragraphs
    return Extracted("\n".join(texts), len(sheets) or None)


def _pptx(package: BoundedPackage) -> Extracted:
    slides = sorted(
        (n for n in package.names() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
        key=lambda n: int(re.search(r"(\d+)", n.rsplit("/", 1)[1]).group(1)),
    )
    texts = []
    for name in slides:
        texts.append("\n".join(package.parse(name, _Collector({"p"}, "t")).paragraphs))
    return Extracted("\n\n".join(texts), len(slides) or None)


def _odf(package: BoundedPackage) -> Extracted:
    found = package.parse("content.xml", _Collector({"p", "h"}, counted="page"))  # pages: slides of a presentation
    return Extracted("\n".join(found.paragraphs), found.count or None)


def _pdf(file) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

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
    except (NotExtractable, MemoryError):  # MemoryError: the child's memory limit, reported by the parent
        raise
    except LimitReachedError as exc:  # pypdf's own caps (tokens per stream, page tree size, …)
        raise LimitExceeded(f"pdf: {exc}") from exc
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


def extract_isolated(kind: str, data: bytes, limits: isolation.Limits) -> Extracted:
    """``extract`` in a child process within ``limits``.

    Raises NotExtractable / LimitExceeded like ``extract``, ``isolation.Failed`` when the child was
    stopped by a limit or died, ``isolation.Interrupted`` when the worker is stopping.
    """
    answer = json.loads(isolation.run("documents.extraction", [kind], data, limits))
    if "error" in answer:
        raise (LimitExceeded if answer["limit"] else NotExtractable)(answer["error"])
    return Extracted(answer["text"], answer["pages"])


def _child(args: list[str], data: bytes) -> bytes:
    try:
        result = extract(args[0], io.BytesIO(data))
    except NotExtractable as exc:
        answer = {"error": str(exc), "limit": isinstance(exc, LimitExceeded)}
    else:
        answer = {"text": result.text, "pages": result.pages}
    return json.dumps(answer).encode()


if __name__ == "__main__":
    isolation.child_main(_child)
