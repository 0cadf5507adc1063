"""A person controls their own profile text; colleagues download it as a vCard.

The attacker edits their own profile through the ordinary form and tries to plant extra
properties (a second e-mail address, a URL, a photo) in the card other people import. The
checks below read only the downloaded file, with a strict reader written for this test:
CRLF line ends only, lines of at most 75 octets, one property per unfolded line.
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

PROPERTY_LINE = re.compile(r'^(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[^:;"]*(?:"[^"]*")?[^:;"]*)*):(?P<value>.*)$')
NASTY = [
    "Mara\rEMAIL:attacker@evil.example",
    "Mara\nURL:https://evil.example",
    "Mara\r\nPHOTO;VALUE=uri:https://evil.example/p.png",
    "Mara\u2028X-INJECTED:1",
    "Mara\x85X-NEL:1\x0bX-VT:1\x0cX-FF:1",
    "Ma;ra,\\ra",
    "Märä " + "Ü" * 90,
    "Mara\x1b[31m\x7f\x9b",
]


def strict_vcard(data: bytes) -> list[tuple[str, str, str]]:
    """(name, params, raw value) of every property; fails on anything a strict reader would refuse."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\r" not in line and "\n" not in line, f"bare line break in {line!r}"
        assert not any(ch in line for ch in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), f"line separator in {line!r}"
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    properties = []
    for line in logical:
        match = PROPERTY_LINE.match(line)
        assert match, f"not a property line: {line!r}"
        properties.append((match["name"].upper(), match["params"], match["value"]))
    return properties


def unescape(value: str) -> str:
    """A TEXT value back to text; an unescaped , or ; would end the value, so it fails here."""
    out, chars = [], iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars)
            out.append({"n": "\n", "N": "\n"}.get(nxt, nxt))
        else:
            assert ch not in ",;", f"unescaped {ch!r} in {value!r}"
            out.append(ch)
    return "".join(out)


def _edit_own_profile(client, **fields):
    data = {
        "salutation": "",
        "title": "",
        "given_name": "Mara",
        "family_name": "Member",
        "pronouns": "",
        "department": "",
        "function": "",
        "phone": "",
        "mobile": "",
        "profile_visibility": "members",
        "email_visibility": "members",
        "phone_visibility": "members",
    }
    data.update(fields)
    response = client.post("/profil/bearbeiten/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("nasty", NASTY)
def test_own_profile_text_cannot_add_properties_to_the_card_colleagues_download(client_for, personas, nasty):
    _edit_own_profile(client_for("member"), given_name=nasty, family_name=nasty, department=nasty, function=nasty)
    person = personas["member"].person
    card = client_for("office").get(f"/verzeichnis/personen/{person.pk}/vcard/")
    assert card.status_code == 200
    properties = strict_vcard(card.content)
    names = [name for name, _params, _value in properties]
    assert names == ["BEGIN", "VERSION", "N", "FN", "ORG", "TITLE", "EMAIL", "REV", "END"]
    [email] = [value for name, _p, value in properties if name == "EMAIL"]
    assert email == "member@test.example"
    [fn] = [value for name, _p, value in properties if name == "FN"]
    shown = unescape(fn)
    assert "\r" not in shown and "\u2028" not in shown and "\x00" not in shown
    assert shown.replace("\n", "").startswith("M")
    [title] = [value for name, _p, value in properties if name == "TITLE"]
    assert unescape(title).replace("\n", "") == re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "", nasty)


def test_commas_semicolons_and_backslashes_survive_the_round_trip(client_for, personas):
    _edit_own_profile(client_for("member"), function="Leitung; Planung, Steuerung \\ Koordination")
    person = personas["member"].person
    properties = strict_vcard(client_for("office").get(f"/verzeichnis/personen/{person.pk}/vcard/").content)
    [title] = [value for name, _p, value in properties if name == "TITLE"]
    assert unescape(title) == "Leitung; Planung, Steuerung \\ Koordination"


@pytest.mark.parametrize("text", ["ä" * 80, "a,;\\" * 40, "x" * 74 + "\n" + "€" * 30, "🙂" * 40])
def test_folding_keeps_utf8_characters_and_escapes_whole(text):
    from lib.contentlines import escape_text, fold

    line = "NOTE:" + escape_text(text)
    folded = fold(line)
    physical = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(re.search(r"(?<!\\)(\\\\)*\\$", part) is None for part in physical[:-1])  # no escape cut in two
    assert "".join(part[1:] if i else part for i, part in enumerate(physical)) == line
