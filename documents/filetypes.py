"""What a file is, judged from its bytes, and what its name may be.

The name a browser sends says nothing reliable; the first bytes and, for ZIP-based office
formats, the package's own manifest do. We accept a known list of formats and refuse
executables and everything we do not recognise.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]
    inline: bool = False  # shown in the browser from our origin: raster images only (PDF viewers refuse a sandbox)
    has_text: bool = True


KINDS = {
    k.code: k
    for k in (
        FileKind("pdf", "PDF", "application/pdf", ("pdf",)),
        FileKind("docx", "Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
        FileKind("xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
        FileKind(
            "pptx", "PowerPoint (PPTX)", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)
        ),
        FileKind("odt", "OpenDocument-Text (ODT)", "application/vnd.oasis.opendocument.text", ("odt",)),
        FileKind("ods", "OpenDocument-Tabelle (ODS)", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
        FileKind("odp", "OpenDocument-Präsentation (ODP)", "application/vnd.oasis.opendocument.presentation", ("odp",)),
        FileKind("png", "PNG-Bild", "image/png", ("png",), inline=True, has_text=False),
        FileKind("jpeg", "JPEG-Bild", "image/jpeg", ("jpg", "jpeg"), inline=True, has_text=False),
        FileKind("gif", "GIF-Bild", "image/gif", ("gif",), inline=True, has_text=False),
        FileKind("webp", "WebP-Bild", "image/webp", ("webp",), inline=True, has_text=False),
        FileKind("markdown", "Markdown", "text/markdown; charset=utf-8", ("md", "markdown")),
        FileKind("csv", "CSV", "text/csv; charset=utf-8", ("csv",)),
        FileKind("text", "Text", "text/plain; charset=utf-8", ("txt",)),
        # Active content: accepted, but only ever downloaded (see views.serve_version).
        FileKind("html", "HTML", "text/html; charset=utf-8", ("html", "htm"), has_text=False),
        FileKind("svg", "SVG-Grafik", "image/svg+xml", ("svg",), has_text=False),
        FileKind("xml", "XML", "application/xml", ("xml",), has_text=False),
    )
}


# Pillow's format name -> kind: images shown inline, so stored re-encoded (documents.actions._checked).
RASTER_IMAGES = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "WEBP": "webp"}


class Refused(Exception):
    """The file is not accepted; the message says why, in German."""


EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE, DOS
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",  # scripts with an interpreter line
    b"\x00asm",  # WebAssembly
    b"dex\n",
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office, MSI installers

ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OOXML_MAIN = {
    "wordprocessingml.document.main+xml": "docx",
    "spreadsheetml.sheet.main+xml": "xlsx",
    "presentationml.presentation.main+xml": "pptx",
}
MANIFEST_LIMIT = 256 * 1024


def _refuse_executable() -> Refused:
    return Refused(_("Programme und Skripte werden nicht angenommen."))


def _zip_kind(file) -> str:
    """ODF names itself in the ``mimetype`` entry, OOXML in ``[Content_Types].xml``."""
    try:
        archive = zipfile.ZipFile(file)
        names = set(archive.namelist())
        if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
            declared = archive.read("mimetype").decode("ascii", "replace").strip()
            if declared in ODF_TYPES:
                return ODF_TYPES[declared]
        if "[Content_Types].xml" in names and archive.getinfo("[Content_Types].xml").file_size < MANIFEST_LIMIT:
            manifest = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            if "macroEnabled" in manifest or "vbaProject" in manifest:
                raise Refused(_("Dateien mit Makros werden nicht angenommen. Bitte speichern Sie sie ohne Makros."))
            for marker, kind in OOXML_MAIN.items():
                if marker in manifest:
                    return kind
        if any(n.lower().endswith((".exe", ".dll", ".class", ".msi", ".bat", ".cmd", ".ps1", ".sh")) for n in names):
            raise _refuse_executable()
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError):
        raise Refused(_("Die Datei ist beschädigt oder kein Office-Dokument.")) from None
    finally:
        file.seek(0)
    raise Refused(_("ZIP-Archive werden nicht angenommen; bitte laden Sie die Dateien einzeln hoch."))


def _text_kind(head: bytes, name: str) -> str | None:
    """Decodable text without control characters; markup is recognised by its content."""
    sample = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # only a character cut off at the end of the sample is fine
            return None
        text = sample[: exc.start].decode("utf-8")
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return None
    start = text.lstrip()[:4096].lower()
    if start.startswith("<") and "<svg" in start:
        return "svg"
    if start.startswith(("<!doctype html", "<html", "<head", "<body", "<script", "<iframe")) or "<script" in text.lower():
        return "html"
    if start.startswith("<"):
        return "xml"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in KINDS["markdown"].extensions:
        return "markdown"
    if extension == "csv":
        return "csv"
    return "text"


def detect(file, name: str = "") -> FileKind:
    """The kind of ``file`` (a binary file object, read from the start) or ``Refused``."""
    file.seek(0)
    head = file.read(64 * 1024)
    file.seek(0)
    if not head:
        raise Refused(_("Die Datei ist leer."))
    if head.startswith(EXECUTABLE_MAGIC):
        raise _refuse_executable()
    if head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return KINDS["gif"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return KINDS["webp"]
    if head.startswith(b"PK\x03\x04"):
        return KINDS[_zip_kind(file)]
    if head.startswith(OLE_MAGIC):
        raise Refused(
            _("Alte Office-Formate (DOC, XLS, PPT) werden nicht angenommen. Bitte speichern Sie als DOCX, XLSX, PPTX oder PDF.")
        )
    kind = _text_kind(head, name)
    if kind is None:
        raise Refused(
            _("Dieses Dateiformat wird nicht angenommen. Erlaubt sind PDF, Office- und OpenDocument-Dateien, Bilder und Text.")
        )
    return KINDS[kind]


_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|]+')
_SPACES = re.compile(r"\s+")
MAX_NAME = 150


def safe_file_name(raw: str, kind: FileKind) -> str:
    """A name without path parts, control or direction characters, ending in the kind's extension."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    # Cc: control characters; Cf: format characters incl. right-to-left overrides and zero-width joiners.
    name = "".join(c for c in name if unicodedata.category(c) not in {"Cc", "Cf", "Zl", "Zp"})
    name = _SPACES.sub(" ", _UNSAFE_CHARS.sub("_", name)).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.strip(" .")[:MAX_NAME] or "Dokument"
    if extension.lower() not in kind.extensions:
        # A name that claims another type (e.g. .exe, .html) keeps it as part of the stem.
        stem = f"{stem}.{extension}"[:MAX_NAME] if extension else stem
        extension = kind.extensions[0]
    return f"{stem}.{extension.lower()}"


def title_from_name(file_name: str) -> str:
    stem = file_name.rsplit(".", 1)[0]
    return _SPACES.sub(" ", stem.replace("_", " ")).strip()[:200] or "Dokument"
