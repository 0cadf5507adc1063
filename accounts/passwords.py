"""Password policy: refuse passwords built on a common German word.

Django's CommonPasswordValidator knows "password1234" but not "passwort1234", "Sommer2026!"
or "Schalke04". People make a password long enough by adding digits, a year or a symbol to
a word; guessing tools do the same. So we compare the *stem*: the password in lower case,
umlauts written out (or dropped), leading and trailing digits and symbols removed, simple substitutions
undone (``P4ssw0rt`` → ``passwort``) and separators dropped — against a short list we
compiled ourselves (``data/german_common_passwords.txt``). Two list words in a row
("SommerSonne") and repetitions ("hallohallohallo") count as common too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WORD_LIST = Path(__file__).parent / "data" / "german_common_passwords.txt"
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUTS_DROPPED = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})  # "Schätzi" typed as "Schatzi"
_LOOKALIKES = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "€": "e", "!": "i"}
_ONE_AS_I = str.maketrans({**_LOOKALIKES, "1": "i", "|": "i"})
_ONE_AS_L = str.maketrans({**_LOOKALIKES, "1": "l", "|": "l"})
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SEPARATORS = re.compile(r"[\W_]+")
_REPEATED = re.compile(r"(.+?)\1+")
MIN_PART = 4  # the shorter word of a pair must have at least this many letters


@cache
def common_stems() -> frozenset[str]:
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def stems(password: str) -> set[str]:
    """The forms of ``password`` to compare with the list."""
    text = unicodedata.normalize("NFKC", password).casefold()
    candidates = set()
    for core in {_EDGES.sub("", text.translate(_UMLAUTS)), _EDGES.sub("", text.translate(_UMLAUTS_DROPPED))}:
        candidates |= {core, core.translate(_ONE_AS_I), core.translate(_ONE_AS_L), re.sub(r"\d+", "", core)}
    return {_SEPARATORS.sub("", candidate) for candidate in candidates} - {""}


def _is_common(stem: str, words: frozenset[str]) -> bool:
    if stem in words:
        return True
    repeated = _REPEATED.fullmatch(stem)
    if repeated and (len(repeated.group(1)) <= 3 or repeated.group(1) in words):
        return True
    return any(stem[:cut] in words and stem[cut:] in words for cut in range(MIN_PART, len(stem) - MIN_PART + 1))


class GermanCommonPasswordValidator:
    """AUTH_PASSWORD_VALIDATORS entry; German messages, formal address."""

    def validate(self, password: str, user: object = None) -> None:
        words = common_stems()
        plain = unicodedata.normalize("NFKC", password).casefold()
        repeated = _REPEATED.fullmatch(plain)
        if repeated and len(repeated.group(1)) <= 3:
            raise self._error()
        if any(_is_common(stem, words) for stem in stems(password)):
            raise self._error()

    @staticmethod
    def _error() -> ValidationError:
        return ValidationError(
            _(
                "Dieses Passwort ist leicht zu erraten: Es beruht auf einem häufig verwendeten Wort, "
                "auch mit Ziffern, Jahreszahl oder Sonderzeichen. Wählen Sie zum Beispiel mehrere zufällige Wörter."
            ),
            code="password_too_common_german",
        )

    def get_help_text(self) -> str:
        return _(
            "Ihr Passwort darf nicht auf einem häufigen Wort beruhen, etwa „Passwort“, „Hallo“, "
            "einem Monat, einem Verein oder einer Stadt mit Jahreszahl."
        )
