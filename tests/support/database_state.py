"""A fingerprint of every table, to prove that a request changed nothing.

On PostgreSQL the statistics of the running transaction count every row inserted, updated or deleted
per table (``pg_stat_xact_user_tables``; a test runs inside one transaction), so even a write that
puts back the same value shows, and one cheap query reads them all. On SQLite the rows are read
through the ORM and hashed.
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


def database_state() -> dict[str, str]:
    """Table name → fingerprint of its rows (PostgreSQL: of the writes to it in this transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, concat_ws(':', n_tup_ins, n_tup_upd, n_tup_del) FROM pg_stat_xact_user_tables"
                " WHERE schemaname = current_schema()"
            )
            return {table: counts for table, counts in cursor.fetchall() if table not in IGNORED_TABLES}
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy or model._meta.db_table in IGNORED_TABLES:
            continue
        rows = repr(list(model._base_manager.order_by("pk").values_list()))
        state[model._meta.db_table] = hashlib.sha256(rows.encode()).hexdigest()
    return state


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
