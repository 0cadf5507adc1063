"""The public library's list entries: one card shape for publications, practice examples and event documentation.

Each app turns its own objects into ``Card`` rows in its view; ``components/card.html`` renders them, so every
public list shows title, kind, cities, date, licence and downloads in the same places.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lib.licences import LicenceInfo


@dataclass(frozen=True)
class Download:
    label: str
    url: str
    file_type: str = ""
    size: int | None = None


@dataclass(frozen=True)
class Card:
    title: str
    url: str
    kind: str = ""
    summary: str = ""
    cities: tuple[str, ...] = ()
    date: dt.date | dt.datetime | None = None
    date_label: str = ""
    meta: tuple[str, ...] = ()
    licence: LicenceInfo | None = None
    downloads: tuple[Download, ...] = field(default_factory=tuple)
