"""A readable diff between two versions of a practice example: per field, word by word, escaped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .actions import CONTENT_FIELDS
from .indicators import public_indicator
from .models import Revision

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class FieldDiff:
    label: str
    html: SafeString


def _display(revision: Revision, name: str) -> str:
    if name == "cities":
        return ", ".join(sorted(m.name for m in revision.cities.all()))
    if name == "evidence_indicator":
        indicator = public_indicator(revision.evidence_indicator_id)
        return indicator.label if indicator else ""
    field = Revision._meta.get_field(name)
    if field.choices:
        return str(getattr(revision, f"get_{name}_display")())
    value = getattr(revision, name)
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return "" if value is None else str(value)


def word_diff(old: str, new: str) -> SafeString:
    """``<del>`` and ``<ins>`` around changed words; every piece of text escaped first."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part escaped above


def compare(old: Revision, new: Revision) -> list[FieldDiff]:
    """The fields that differ between ``old`` and ``new``, in form order."""
    changed = []
    for name in [*CONTENT_FIELDS[:4], "cities", *CONTENT_FIELDS[4:]]:
        before, after = _display(old, name), _display(new, name)
        if before != after:
            changed.append(FieldDiff(str(Revision._meta.get_field(name).verbose_name), word_diff(before, after)))
    return changed
