"""Rendered page parts kept per process, keyed on a version stamp of the few rows they show.

The start page and the list of member cities show the same few rows (ten cities, three bodies, one
page text) to everybody, and rendering them cost several times the page's bare layout. Such a part
is rendered once per process and reused while the rows behind it are unchanged:

* **The stamp decides, not an invalidation.** One SQL statement reads a stamp of every table the
  part shows (on PostgreSQL each row's id, ``xmin`` — the transaction that wrote its current
  version — and ``ctid`` — where that version lies, new for every update even within one
  transaction; so *any* write, by an action, the admin, a migration or a loader, changes it; on
  other databases the row count, the id range, the latest ``modified`` and the sum of versions). A write in another process or on
  another app server therefore shows on the next request; nothing needs to be told. Only for small
  tables (a few dozen rows): the stamp reads all their rows.
* **Read the stamp before the data.** A write committed in between leaves fresh content under an old
  stamp that nobody asks for again; never stale content under the new one.
* **No viewer in the part.** The part is rendered by ``render_to_string`` without the request, so the
  template has no ``user``, no roles and no CSRF token: it cannot contain anything only some
  visitors may see, and one copy serves anonymous visitors and members alike. The key also holds
  the language and the local day (lists such as "current members" depend on the date).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .lru import MISSING, BoundedCache

MAX_ENTRIES = 64

_entries = BoundedCache(MAX_ENTRIES)


def _table_sql(model: type[models.Model]) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    if connection.vendor == "postgresql":
        row = f"{pk}::text || ':' || xmin::text || ':' || ctid::text"
        return f"SELECT md5(coalesce(string_agg({row}, ',' ORDER BY {pk}), '')) FROM {table}"  # noqa: S608 - names from model metadata, quoted
    names = {f.name for f in model._meta.concrete_fields}
    modified = "MAX(modified)" if "modified" in names else "''"
    version = "SUM(version)" if "version" in names else "0"
    parts = ["COUNT(*)", f"MIN({pk})", f"MAX({pk})", f"COALESCE({modified}, '')", f"COALESCE({version}, 0)"]
    joined = " || '/' || ".join(parts)
    return f"SELECT {joined} FROM {table}"  # noqa: S608 - names from model metadata, quoted


def data_stamp(tables: Sequence[type[models.Model]]) -> str:
    """One statement, one short string: changes whenever a row of ``tables`` is added, changed or deleted."""
    sql = "SELECT " + ", ".join(f"({_table_sql(model)})" for model in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return hashlib.blake2b("|".join(str(part) for part in row).encode(), digest_size=12).hexdigest()


def cached_fragment(
    name: str, tables: Sequence[type[models.Model]], template: str, context: Callable[[], dict[str, Any]]
) -> SafeString:
    """``template`` rendered with ``context()`` (called only on a miss), reused while ``tables`` are unchanged.

    ``context`` must read the data itself (after the stamp was taken), and the part must be the
    same for every visitor: it is rendered without the request.
    """
    key = (name, get_language(), timezone.localdate().isoformat(), data_stamp(tables))
    cached = _entries.get(key)
    if isinstance(cached, str):
        html = cached
    else:
        html = render_to_string(template, context())
        _entries.put(key, html)
    return mark_safe(html)  # noqa: S308 - output of the template engine, escaped there


def cached_rows(name: str, tables: Sequence[type[models.Model]], load: Callable[[], object]) -> object:
    """``load()`` (rows read from ``tables``, e.g. the choices of a filter form) reused while ``tables`` are unchanged.

    The rows are shared by every request of the process: callers only read them.
    """
    key = (name, data_stamp(tables))
    rows = _entries.get(key)
    if rows is MISSING:
        rows = load()
        _entries.put(key, rows)
    return rows


def clear() -> None:
    """Forget every part (tests)."""
    _entries.clear()
