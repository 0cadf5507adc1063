"""German text handling shared by both back ends: tokens, stems, folding and the query language.

The query language is small and forgiving: words (all must occur), "quoted phrases", a trailing
``*`` for prefixes and a leading ``-`` to exclude a word. Everything else (operators, brackets,
stray quotes) is ignored, and over-long input is cut, so no input can make a query fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

MAX_QUERY_CHARS = 300
MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})
_stemmer = snowballstemmer.stemmer("german")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Stem of one word, lower case, umlauts and ß folded (Städte → stadt, Straße → strass)."""
    return _stemmer.stemWord(word.lower()).translate(_FOLD)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def stemmed(text: str) -> str:
    """The text as a sequence of stems, for the SQLite index."""
    return " ".join(stem(w) for w in _WORD.findall(text))


@dataclass
class Term:
    words: list[str]
    prefix: bool = False
    negated: bool = False

    @property
    def stems(self) -> list[str]:
        # A prefix is matched against stems; the prefix itself is folded but not stemmed further than a word would be.
        return [stem(w) for w in self.words]


@dataclass
class ParsedQuery:
    terms: list[Term] = field(default_factory=list)

    @property
    def positive(self) -> list[Term]:
        return [t for t in self.terms if not t.negated]

    @property
    def negative(self) -> list[Term]:
        return [t for t in self.terms if t.negated]

    def __bool__(self) -> bool:
        return bool(self.positive)

    @property
    def has_phrase(self) -> bool:
        """Words that must stand next to each other: a quoted phrase or a joined word like "Rhein-Ruhr"."""
        return any(len(t.words) > 1 for t in self.terms)


_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def parse(raw: str) -> ParsedQuery:
    raw = (raw or "")[:MAX_QUERY_CHARS]
    query = ParsedQuery()
    for match in _TOKEN.finditer(raw):
        if len(query.terms) >= MAX_TERMS:
            break
        if match.group(2) is not None:
            parts = words(match.group(2))[:8]
            if parts:
                query.terms.append(Term(parts, negated=bool(match.group(1))))
            continue
        token = match.group(4)
        negated = bool(match.group(3))
        prefix = token.endswith("*")
        parts = words(token)
        if not parts:
            continue
        if len(parts) > 1:  # e.g. "Rhein-Ruhr" or "a&b": its words, next to each other
            query.terms.append(Term(parts[:8], negated=negated))
        else:
            query.terms.append(Term(parts, prefix=prefix and len(parts[0]) >= 2, negated=negated))
    return query


def highlight_terms(query: ParsedQuery) -> tuple[set[str], tuple[str, ...]]:
    """Stems to mark and prefixes to mark, for snippets built in Python."""
    exact, prefixes = set(), []
    for term in query.positive:
        for s in term.stems:
            if term.prefix:
                prefixes.append(s)
            else:
                exact.add(s)
    return exact, tuple(prefixes)
