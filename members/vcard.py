"""vCard 3.0 (RFC 2426) for a person, with only the fields the viewer may see."""

from __future__ import annotations


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold lines longer than 75 octets, as the RFC asks."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


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
