"""vCard 3.0 (RFC 2426) for a person, with only the fields the viewer may see.

Version 3.0 because Outlook still reads 4.0 poorly; its escaping and folding rules are the ones
RFC 6350 states more precisely, and ``lib.contentlines`` applies those to every value.
"""

from __future__ import annotations

from lib.contentlines import escape_text as _escape
from lib.contentlines import fold as _fold


def person_vcard(person, *, email: bool, phone: bool) -> str:
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_escape(person.family_name)};{_escape(person.given_name)};;{_escape(person.title)};",
        f"FN:{_escape(person.full_name)}",
    ]
    org = person.affiliation
    if org:
        unit = f";{_escape(person.department)}" if person.department else ""
        lines.append(f"ORG:{_escape(org)}{unit}")
    if person.function:
        lines.append(f"TITLE:{_escape(person.function)}")
    if email and person.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{_escape(person.email)}")
    if phone and person.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{_escape(person.phone)}")
    if phone and person.mobile:
        lines.append(f"TEL;TYPE=CELL:{_escape(person.mobile)}")
    lines.append(f"REV:{person.modified:%Y%m%dT%H%M%SZ}")
    lines.append("END:VCARD")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
