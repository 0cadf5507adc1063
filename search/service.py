"""The search itself: the one function the search page, the API and the benchmark call.

Permission filtering happens in the index query (``Scope``), so nothing the searcher may not open
is ever ranked, counted or turned into a snippet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.roles import is_member, is_office
from workspaces.access import workspaces_visible_to

from . import text as textlib
from .backends import CANDIDATES, Filters, Hit, Scope, backend
from .models import Audience
from .registry import provider_for

PAGE_SIZE = 20
MAX_PAGE = 20  # CANDIDATES / PAGE_SIZE


def scope_for(user) -> Scope:
    audiences = [Audience.PUBLIC.value]
    if user is not None and user.is_authenticated:
        if is_member(user):
            audiences.append(Audience.MEMBERS.value)
        if is_office(user):
            audiences.append(Audience.OFFICE.value)
    anonymous = user is None or not user.is_authenticated
    from django.contrib.auth.models import AnonymousUser

    ids = list(workspaces_visible_to(AnonymousUser() if anonymous else user).values_list("pk", flat=True))
    return Scope(audiences=audiences, workspace_ids=ids)


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, (self.total + PAGE_SIZE - 1) // PAGE_SIZE)

    @property
    def capped(self) -> bool:
        """More hits than are ranked: the newest CANDIDATES are shown, by relevance."""
        return self.total >= CANDIDATES

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
    if filters.workspace_id and filters.workspace_id not in scope.workspace_ids:
        return results
    results.hits, results.total = backend().search(parsed, scope, filters, PAGE_SIZE, (results.page - 1) * PAGE_SIZE)
    for hit in results.hits:
        provider = provider_for(hit.kind)
        hit.kind_label = provider.label if provider else hit.kind
    return results
