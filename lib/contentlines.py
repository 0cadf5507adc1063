"""User text in line-based formats: vCard (RFC 6350, also for 3.0) and iCalendar (RFC 5545).

Both formats are lines of ``NAME;PARAMS:VALUE``; a line break that reaches the file unescaped
starts a new property, so whoever controls a name controls the card or the invitation.
Browsers and parsers disagree on what a line break is (a lone CR, NEL, U+2028 …), so every
such character becomes one ``\\n`` escape and other control characters are dropped.
"""

from __future__ import annotations

import re

# Every character some parser treats as the end of a line (Python's str.splitlines() list).
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Remaining C0 and C1 control characters and DEL; a tab becomes a space.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
FOLD_OCTETS = 75


def plain_text(value: object) -> str:
    """``value`` as text with every kind of line break as ``\\n`` and no other control characters."""
    text = _LINE_BREAK.sub("\n", str(value)).replace("\t", " ")
    return _CONTROL.sub("", text)


def uri(value: object) -> str:
    """A URI value: no white space or control characters (URL fields validate this; files must not rely on it)."""
    return "".join(plain_text(value or "").split())


def escape_text(value: object) -> str:
    """A TEXT value (RFC 6350 §3.4, RFC 5545 §3.3.11): backslash, comma, semicolon and newline escaped."""
    text = plain_text(value)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets with CRLF and a space (RFC 6350 §3.2, RFC 5545 §3.1).

    Never inside a UTF-8 sequence and never between a backslash and the character it escapes,
    which some readers mishandle although the RFCs allow it.
    """
    if len(line.encode("utf-8")) <= FOLD_OCTETS:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, FOLD_OCTETS
    units = re.findall(r"\\.|.", line, flags=re.DOTALL)
    for unit in units:
        octets = len(unit.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, FOLD_OCTETS - 1  # the leading space counts
        current.append(unit)
        size += octets
    pieces.append("".join(current))
    return "\r\n ".join(pieces)
