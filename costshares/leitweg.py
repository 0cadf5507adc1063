"""The Leitweg-ID: the routing address of a German public buyer for e-invoices (BT-10 in XRechnung).

Form (KoSIT, Formatspezifikation Leitweg-ID 2.0.2): coarse address of 2 to 12 digits, an optional
fine address of up to 30 letters or digits, and two check digits, joined by hyphens. The check digits
follow ISO/IEC 7064 MOD 97-10 (as in the IBAN): with letters as 10–35, the whole ID read as one
number leaves 1 when divided by 97.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_FORM = re.compile(r"^(?P<coarse>\d{2,12})(?:-(?P<fine>[0-9A-Z]{1,30}))?-(?P<check>\d{2})$")


def _as_number(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text))


def check_digits(coarse: str, fine: str = "") -> str:
    """The two check digits for a Leitweg-ID without them."""
    return f"{98 - _as_number(coarse + fine.upper() + '00') % 97:02d}"


def validate_leitweg_id(value: str) -> None:
    match = _FORM.match(value or "")
    if match is None:
        raise ValidationError(
            _("Eine Leitweg-ID hat die Form Grobadressierung-Feinadressierung-Prüfziffer, z. B. 05913000-12345-22."),
            code="leitweg_form",
        )
    if _as_number(value.replace("-", "")) % 97 != 1:
        raise ValidationError(
            _("Die Prüfziffer der Leitweg-ID stimmt nicht. Bitte prüfen Sie die Angabe der Stadt."),
            code="leitweg_check_digit",
        )
