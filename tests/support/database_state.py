"""A fingerprint of every table, to prove that a request changed nothing.

On PostgreSQL one query hashes every row of every table (``md5(row::text)``), so a changed column
anywhere shows; on SQLite the rows are read through the ORM and hashed here.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connection

# Rows that every request may touch without changing anything a person could see or rely on.
IGNORED_TABLES = frozenset(
    {
        "django_session",  # the session itself (messages, login state)
        "usersessions_usersession",  # allauth's "last seen" of a session
    }
)


def _tables() -> list[str]:
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return sorted(tables - IGNORED_TABLES)


def database_state() -> dict[str, str]:
    """Table name → fingerprint of its rows."""
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        tables = _tables()
        fingerprint = "count(*)::text || ':' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '')"
        # Table names come from the models, never from input.
        parts = [f"SELECT %s, {fingerprint} FROM {quote(table)} t" for table in tables]  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), tables)
            return dict(cursor.fetchall())
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy or model._meta.db_table in IGNORED_TABLES:
            continue
        rows = repr(list(model._base_manager.order_by("pk").values_list()))
        state[model._meta.db_table] = hashlib.sha256(rows.encode()).hexdigest()
    return state


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
