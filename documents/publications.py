"""The public face of a published document: its card, its attribution line and its structured data.

The licence vocabulary is ``lib.licences`` (shared with the knowledge base); the card shape is
``website.cards`` (shared with every public list).
"""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lib.licences import attribution
from website.cards import Card, Download

from .filetypes import KINDS
from .models import Document


def _city_names(document: Document) -> list[str]:
    return [city.name for city in document.cities.all()]


def attribution_line(document: Document) -> str:
    """How to cite a publication: title, the cooperation (and its cities), kind, date, licence."""
    cities = _city_names(document)
    who = _("der Interkommunalen Kooperation")
    if cities:
        who = f"{who} ({', '.join(cities)})"
    extra = ""
    if document.published_at:
        extra = _("veröffentlicht am %(date)s") % {"date": formats.date_format(document.published_at, "SHORT_DATE_FORMAT")}
    return attribution(
        title=document.title,
        who=who,
        what=document.get_publication_kind_display(),
        extra=extra,
        licence=document.licence,
    )


def download_of(document: Document) -> Download | None:
    current = document.current
    if current is None:
        return None
    kind = KINDS.get(current.kind)
    return Download(
        label=_("%(name)s herunterladen") % {"name": current.file_name},
        url=reverse("documents:download", args=[document.pk]),
        file_type=kind.label if kind else current.kind.upper(),
        size=current.size,
    )


def card_of(document: Document) -> Card:
    download = download_of(document)
    return Card(
        title=document.title,
        url=document.get_absolute_url(),
        kind=document.get_publication_kind_display(),
        summary=document.description,
        cities=tuple(_city_names(document)),
        date=document.published_at,
        date_label=_("veröffentlicht am"),
        licence=document.licence_info,
        downloads=(download,) if download else (),
    )


def json_ld(request, document: Document) -> SafeString:
    """schema.org ``DigitalDocument`` for a public document: licence, credit text, the file."""
    info = document.licence_info
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "DigitalDocument",
        "name": document.title,
        "url": request.build_absolute_uri(document.get_absolute_url()),
        "inLanguage": "de",
        "genre": document.get_publication_kind_display(),
        "publisher": {"@type": "Organization", "name": _("Interkommunale Kooperation")},
        "creditText": attribution_line(document),
        "spatialCoverage": [{"@type": "City", "name": name} for name in _city_names(document)],
    }
    if document.description:
        data["description"] = document.description
    if document.published_at:
        data["datePublished"] = document.published_at.date().isoformat()
    if info.canonical_url:
        data["license"] = info.canonical_url
    else:
        data["copyrightNotice"] = info.short
    if document.current is not None:
        kind = KINDS.get(document.current.kind)
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": request.build_absolute_uri(reverse("documents:download", args=[document.pk])),
            "encodingFormat": kind.content_type.split(";")[0] if kind else "application/octet-stream",
            "contentSize": str(document.current.size),
            "name": document.current.file_name,
        }
    return script_safe_json(data)


def script_safe_json(data) -> SafeString:
    text = json.dumps(data, ensure_ascii=False)
    # Inside <script> nothing may close the element or open a comment: escape <, > and & as JSON allows.
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308
