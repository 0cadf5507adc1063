"""Access querysets compiled once per process and viewer, and reused while nothing they depend on changed.

The search checks every hit against its kind's access function (``documents_visible_to(user)`` …) and
limits the searcher's workspaces with ``workspaces_visible_to(user)``. Building and compiling those
querysets costs the ORM several milliseconds per request, more than PostgreSQL needs to run them. The
SQL they compile to depends only on the code and on what the function reads of the viewer, so
:func:`compiled` keeps it, under these rules:

* **The key is everything the builder may read of the viewer**: the values of the user's row (any
  change — an account made superuser, a new login — is a new key) and the roles, which are looked up
  anew for every request (``accounts.roles``).
* **The builder sees only that.** It gets a bare copy of the user: the row's values and the roles,
  no related objects and no other per-request state. If it reads anything else (the person, a list of
  ids, a setting in the database), that is a query, and a build that ran a query is used once and
  never kept. Everything else an access function depends on — memberships, workspace visibility,
  assignments — is therefore inside the SQL as a subquery, read by PostgreSQL at each execution.
* **The clock**: the key holds today's date (local and UTC), so a build whose parameters hold a date
  (e.g. "memberships current today") is kept for the day; one whose parameters hold a time of day or an
  instant ("published before now") is compiled again each time.

Settings and the code are not in the key: they do not change while a process runs (a test that overrides
a setting an access function reads would need :func:`forget`; none reads one today).

So a cached statement gives exactly the rows the access function would give if built now; the test
``tests/search/test_compiled_access.py`` changes memberships, visibility, roles and the user's row between
two calls to prove it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from .lru import MISSING, BoundedCache

MAX_ENTRIES = 4096

Compiled = tuple[str, tuple[Any, ...]] | None  # SQL and parameters; None: the queryset is empty by construction

_entries = BoundedCache(MAX_ENTRIES)
_stats = {"hits": 0, "builds": 0, "kept": 0}


def compiled(name: str, user, build: Callable[[Any], QuerySet], *, roles: bool = True) -> Compiled:
    """The SQL and parameters of ``build(user)``, or None when it can match nothing (``none()``).

    ``name`` names the builder (e.g. ``"search-check:document"``); ``user`` is a user or an anonymous
    user. The SQL may be used as a subquery: ``SELECT … FROM (<sql>) v WHERE …``. ``roles=False``: the
    builder does not ask for the roles (it is the roles' own query, ``accounts.roles``); the bare user
    then carries none, so asking would run a query and the build would not be kept."""
    key = (name, timezone.localdate(), dt.datetime.now(dt.UTC).date(), *_viewer_key(user, roles=roles))
    found = _entries.get(key)
    if found is not MISSING:
        _stats["hits"] += 1
        return found
    ran: list[str] = []

    def count(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        queryset = build(_bare(user, roles=roles))
        try:
            sql, params = queryset.query.sql_with_params()
            result: Compiled = (sql, tuple(params))
        except EmptyResultSet:
            result = None
    _stats["builds"] += 1
    if not ran and not (result and any(_of_the_clock(p) for p in result[1])):
        _entries.put(key, result)
        _stats["kept"] += 1
    return result


def forget() -> None:
    """Empty the cache (tests; never needed for correctness)."""
    _entries.clear()


def stats() -> dict[str, int]:
    return dict(_stats)


_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}.*|\d{2}:\d{2}(:\d{2}.*)?")


def _of_the_clock(value) -> bool:
    """A time of day or an instant as a parameter (SQLite's backend passes them as ISO text): maybe "now",
    so never kept. A date alone is kept for the day (the key holds it)."""
    if isinstance(value, dt.datetime | dt.time):
        return True
    return isinstance(value, str) and _ISO_INSTANT.fullmatch(value) is not None


def _viewer_key(user, *, roles: bool) -> tuple:
    if user is None or not user.is_authenticated:
        return ("anonymous",)
    from accounts.roles import roles_of

    model = user._meta.model  # not type(user): the request's user is a lazy object
    fields = model._meta.concrete_fields
    row = tuple(getattr(user, f.attname) for f in fields)
    return (model._meta.label, row, tuple(sorted(roles_of(user))) if roles else None)


def _bare(user, *, roles: bool):
    """A copy of ``user`` that holds only its row's values and its roles (see the module's docstring)."""
    if user is None or not user.is_authenticated:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    from accounts.roles import _CACHE_ATTR, roles_of

    model = user._meta.model
    bare = model(**{f.attname: getattr(user, f.attname) for f in model._meta.concrete_fields})
    bare._state.adding, bare._state.db = False, user._state.db
    if roles:
        setattr(bare, _CACHE_ATTR, roles_of(user))
    return bare
