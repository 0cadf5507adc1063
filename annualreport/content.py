"""Titles of the report's sections and the text blocks the office writes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .figures import PARTNER_FIELDS, SECTIONS

SECTION_TITLES = {
    "meetings": _("Sitzungen der Gremien"),
    "attendance": _("Teilnahme nach Städten"),
    "representation": _("Vertretung der Städte in den Sitzungen"),
    "decisions": _("Beschlüsse und Verabredungen"),
    "actions": _("Aufgaben aus den Protokollen"),
    "events": _("Termine und Veranstaltungen"),
    "participants": _("Teilnehmende an Veranstaltungen nach Städten"),
    "publications": _("Veröffentlichungen und Wissensbasis"),
    "survey": _("Beschäftigtenbefragung (freigegebene Kennzahlen)"),
    "projects": _("Gemeinschaftsprojekte, Förderung und Kostenanteile"),
}
SECTION_UNITS = {
    "meetings": _("Sitzungen"),
    "attendance": _("Teilnahmen"),
    "participants": _("Teilnehmende"),
    "representation": _("Sitzungen mit Vertretung"),
    "actions": _("Aufgaben"),
    "survey": _("Anteil mit Einwanderungsgeschichte in %"),
}
PARTNER_TITLES = {
    "information": _("Information der Beschäftigten"),
    "outreach": _("Ansprache von Menschen mit Einwanderungsgeschichte"),
    "training": _("Interkulturelle Fortbildung"),
    "hr": _("Personal- und Organisationsentwicklung"),
}

TEXT_KEYS = (
    "foreword",
    *(f"commentary-{key}" for key in SECTIONS),
    *(f"partner-{key}" for key in PARTNER_FIELDS),
    "outlook",
)


def text_title(key: str) -> str:
    """The heading of a text block in the reader's language."""
    if key == "foreword":
        return str(_("Vorwort"))
    if key == "outlook":
        return str(_("Ausblick"))
    kind, _sep, part = key.partition("-")
    if kind == "commentary":
        return str(_("Kommentar: %(section)s") % {"section": SECTION_TITLES[part]})
    return str(_("Landesinitiative: %(field)s") % {"field": PARTNER_TITLES[part]})
