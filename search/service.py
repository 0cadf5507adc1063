"""The search itself: the one function the search page, the API and the benchmark call.

Permission filtering happens in the index query (``Scope``), so nothing the searcher may not open
is ever ranked, counted or turned into a snippet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.roles import is_member, is_office
from lib.compiled import compiled
from workspaces.access import workspaces_visible_to

from . import text as textlib
from .backends import Filters, Hit, Scope, backend
from .models import Audience
from .registry import Provider, provider_for

PAGE_SIZE = 20
MAX_PAGE = 20  # CANDIDATES / PAGE_SIZE


_SCOPE_ATTR = "_interkommunal_search_scope"


def scope_for(user, workspace_ids: list[int] | None = None) -> Scope:
    """What ``user`` may find; kept on the user object for the rest of the request (like the roles).

    ``workspace_ids``: the workspaces visible to ``user`` when the caller has loaded them anyway
    (the search page lists them in its filter), which saves the query.
    """
    cached = getattr(user, _SCOPE_ATTR, None) if user is not None else None
    if cached is not None:
        return cached
    audiences = [Audience.PUBLIC.value]
    if user is not None and user.is_authenticated:
        if is_member(user):
            audiences.append(Audience.MEMBERS.value)
        if is_office(user):
            audiences.append(Audience.OFFICE.value)
    anonymous = user is None or not user.is_authenticated
    user_id = None if anonymous else user.pk  # own workspaces and grants (search/backends.py)
    if anonymous:  # the entries marked public (search/models.py): no workspace list needed
        scope = Scope(audiences=audiences, user_id=None, anonymous=True)
    elif workspace_ids is None:  # no extra round trip: the search runs this query as its subquery
        visible = compiled("search-scope:workspaces", user, lambda viewer: workspaces_visible_to(viewer).order_by().values("pk"))
        scope = Scope(audiences=audiences, workspaces_sql=visible or ("SELECT NULL WHERE FALSE", ()), user_id=user_id)
    else:
        scope = Scope(audiences=audiences, workspace_ids=sorted(workspace_ids), user_id=user_id)
    if user is not None:
        setattr(user, _SCOPE_ATTR, scope)
    return scope


def _may_see_workspace(user, scope: Scope, workspace_id: int) -> bool:
    if scope.workspace_ids is not None:
        return workspace_id in scope.workspace_ids
    from django.contrib.auth.models import AnonymousUser

    anonymous = user is None or not user.is_authenticated
    return workspaces_visible_to(AnonymousUser() if anonymous else user).filter(pk=workspace_id).exists()


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    more: bool = False  # more matches than ranked: the newest CANDIDATES are shown
    window_full: bool = False  # a phrase was looked for in the newest PHRASE_WINDOW entries with all its words
    window: int = 0

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, (self.total + PAGE_SIZE - 1) // PAGE_SIZE)

    @property
    def capped(self) -> bool:
        """More hits than are ranked: the newest CANDIDATES are shown, by relevance."""
        return self.more

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def search(user, q: str, *, filters: Filters | None = None, page: int = 1, scope: Scope | None = None) -> Results:
    parsed = textlib.parse(q)
    results = Results(query=q, page=max(1, min(page, MAX_PAGE)))
    if not parsed:
        return results
    scope = scope or scope_for(user)
    filters = filters or Filters()
    if filters.workspace_id and not _may_see_workspace(user, scope, filters.workspace_id):
        return results
    found = backend().search(parsed, scope, filters, PAGE_SIZE, (results.page - 1) * PAGE_SIZE)
    results.hits, results.total, results.more = _checked(user, found.hits), found.total, found.more
    results.window_full, results.window = found.window_full, found.window
    for hit in results.hits:
        provider = provider_for(hit.kind)
        hit.kind_label = provider.label if provider else hit.kind
    return results


def _checked(user, hits: list[Hit]) -> list[Hit]:
    """Keep the hits that the kind's access function opens to ``user``: one query for all kinds on the page
    (the access querysets of the kinds, compiled once per viewer (``lib.compiled``), each limited to the
    page's ids and joined with UNION ALL).

    The index already expresses that rule; this check makes the search agree with every other channel
    even while an entry is out of date (an unknown kind is dropped)."""
    from django.db import connection

    by_kind: dict[str, set[int]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, set()).add(hit.object_id)
    allowed: dict[str, set[int]] = {kind: set() for kind in by_kind}
    kinds: list[str] = []
    views: list[str] = []  # each kind's access query as a named view (WITH v0(pk) AS (...))
    parts: list[str] = []
    view_params: list = []
    params: list = []
    for kind, ids in by_kind.items():
        provider = provider_for(kind)
        if provider is None:
            continue
        if type(provider).visible_to is Provider.visible_to:  # the kind names no access function
            allowed[kind] = ids
            continue
        access = compiled(f"search-check:{kind}", user, lambda viewer, p=provider: p.visible_to(viewer).order_by().values("pk"))
        if access is None:  # e.g. ``none()``: the kind opens nothing to this user
            continue
        sql, access_params = access
        n = len(kinds)
        views.append(f"v{n}(pk) AS ({sql})")
        view_params.extend(access_params)
        parts.append(f"SELECT {n}, pk FROM v{n} WHERE pk IN ({', '.join(['%s'] * len(ids))})")  # noqa: S608 - numbers and placeholders
        kinds.append(kind)
        params.extend(sorted(ids))
    if parts:  # each view is used once, so PostgreSQL plans it inline with the page's ids
        statement = f"WITH {', '.join(views)} {' UNION ALL '.join(parts)}"
        with connection.cursor() as cursor:
            cursor.execute(statement, [*view_params, *params])
            for position, pk_value in cursor.fetchall():
                allowed[kinds[position]].add(pk_value)
    return [hit for hit in hits if hit.object_id in allowed[hit.kind]]
