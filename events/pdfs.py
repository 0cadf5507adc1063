"""The event's PDFs (WeasyPrint, KERN look): name badges, the signature list by city, certificates of attendance.

Certificates are tagged PDF/A-3a with the KERN font embedded (like the annual report), so screen readers
can read them and archives keep them.
"""

from __future__ import annotations

import base64
import io
from itertools import groupby

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from annualreport.outputs import PDF_VARIANT, pdf_font_dir

from .actions import attended_sessions
from .models import HOLDS_PLACE, Event, Registration


def _render(template: str, context: dict, *, variant: str | None = None) -> bytes:
    from weasyprint import HTML

    with translation.override("de"):
        html = render_to_string(template, {**context, "font_dir": pdf_font_dir().as_uri()})
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(pdf_variant=variant) if variant else document.write_pdf()


def qr_svg(text: str) -> str:
    """A QR code as an SVG data URI (no file, no network)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _people(event: Event):
    return (
        event.registrations.filter(status__in=HOLDS_PLACE, anonymised=False)
        .select_related("municipality")
        .order_by("municipality__short_name", "name", "pk")
    )


def badges_pdf(event: Event) -> bytes:
    badges = [{"r": r, "qr": qr_svg(r.code)} for r in _people(event)]
    return _render("events/pdf/badges.html", {"event": event, "badges": badges})


def signature_list_pdf(event: Event) -> bytes:
    groups = [
        (city, list(people))
        for city, people in groupby(_people(event), key=lambda r: r.municipality.short_name if r.municipality else "")
    ]
    return _render("events/pdf/signatures.html", {"event": event, "groups": groups})


def certificate_pdf(registration: Registration) -> bytes:
    """The certificate of attendance; the caller checked ``actions.certificate_allowed``."""
    context = {
        "event": registration.event,
        "r": registration,
        "sessions": attended_sessions(registration),
        "issued": timezone.localdate(),
    }
    return _render("events/pdf/certificate.html", context, variant=PDF_VARIANT)
