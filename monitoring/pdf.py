"""PDF output with WeasyPrint (code letters, the annual monitoring report).

WeasyPrint needs Pango from the operating system. Where it is missing, :func:`available` is
False and the PDF links and downloads are simply not offered (the CSV for mail merge and the
HTML dashboards still work); nothing pretends to be a PDF.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.template.loader import render_to_string


@cache
def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
