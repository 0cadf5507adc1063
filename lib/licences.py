"""The one licence vocabulary of everything the cooperation publishes (publications and practice examples).

Both apps store the value; this module decides what it is called, where its legal text lives, whether it
may ever be public and how it appears in an attribution line and in machine-readable data. A new licence
is added here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("CC BY 4.0 (frei nutzbar mit Namensnennung)")
    CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0 (Namensnennung, Weitergabe unter gleichen Bedingungen)")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("alle Rechte vorbehalten")
    INTERNAL = "internal", _("nur intern (für die Mitglieder der Kooperation)")


# Short names for badges and attribution lines (proper names of the licences are not translated).
SHORT_NAMES = {
    Licence.CC_BY: "CC BY 4.0",
    Licence.CC_BY_SA: "CC BY-SA 4.0",
    Licence.ALL_RIGHTS_RESERVED: _("alle Rechte vorbehalten"),
    Licence.INTERNAL: _("nur intern"),
}
# The human-readable legal summary (German deed) linked from pages …
DEED_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.de",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.de",
}
# … and the canonical identifier used in JSON-LD (schema.org ``license``).
CANONICAL_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
}
SPDX_IDS = {Licence.CC_BY: "CC-BY-4.0", Licence.CC_BY_SA: "CC-BY-SA-4.0"}

# Never on the public site, whatever else is set.
INTERNAL_ONLY = frozenset({Licence.INTERNAL})
# What a knowledge-base author may choose (issue 13: CC BY 4.0 by default, or internal only).
CONTRIBUTION_LICENCES = (Licence.CC_BY, Licence.INTERNAL)


def may_be_public(value: str) -> bool:
    return value in Licence.values and value not in INTERNAL_ONLY


def is_open(value: str) -> bool:
    """An open licence: the public may reuse the work (and portals may pick it up)."""
    return value in CANONICAL_URLS


@dataclass(frozen=True)
class LicenceInfo:
    """Everything a page or a data export needs to show one licence."""

    value: str
    name: str
    short: str
    deed_url: str
    canonical_url: str
    spdx: str
    open: bool

    def __str__(self) -> str:
        return self.short


def licence_info(value: str) -> LicenceInfo:
    known = value if value in Licence.values else Licence.ALL_RIGHTS_RESERVED
    licence = Licence(known)
    return LicenceInfo(
        value=known,
        name=str(licence.label),
        short=str(SHORT_NAMES[licence]),
        deed_url=DEED_URLS.get(licence, ""),
        canonical_url=CANONICAL_URLS.get(licence, ""),
        spdx=SPDX_IDS.get(licence, ""),
        open=is_open(known),
    )


def attribution(*, title: str, who: str, what: str, licence: str, extra: str = "") -> str:
    """The line to cite a work by: „title“ von who, what[, extra], licence (TASL: title, author, source, licence)."""
    from django.utils.translation import gettext

    parts = [gettext("„%(title)s“ von %(who)s") % {"title": title, "who": who}, what]
    if extra:
        parts.append(extra)
    parts.append(licence_info(licence).short)
    return ", ".join(str(p) for p in parts)
