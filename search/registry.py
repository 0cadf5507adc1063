"""Providers: how each kind of object becomes a search entry.

Another app makes its objects searchable in a few lines, e.g. in ``news/search.py``::

    class PostProvider(Provider):
        kind = "post"
        label = _("Beiträge")
        model = Post

        def build(self, post):
            if post.is_draft:
                return None                          # not searchable (an existing entry is removed)
            return Entry(
                title=post.title, body=post.text, url=post.get_absolute_url(), date=post.published_at,
                audience=Audience.WORKSPACE, workspace_id=post.workspace_id,
            )

and in its AppConfig.ready(): ``search.registry.register(PostProvider())``. After a change, its
``actions.py`` calls ``search.indexing.schedule("post", post.pk)``; the worker does the rest.

Who may open an entry is expressed by two fields that the query filters on in SQL:
``audience`` (public / members / office: by the searcher's platform role) and ``workspace_id``
(everybody who may see that workspace). An entry is found by a searcher who matches either.
``build`` must only put into ``title`` and ``body`` what everybody in that audience may see.

Some content is for a workspace's *insiders* only (its members of any role, plus people with a seat in a
body who may read the workspace): comments and tasks. In a private or platform workspace that is exactly
who may see the workspace; in a public one it is not, so such entries are built from the workspace's
visibility, and the provider names the lookup to the workspace in ``workspace_lookup``: when a workspace's
visibility changes, its objects are indexed again (``reindex_workspace_content``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models

from .models import Audience


@dataclass
class Entry:
    title: str
    body: str
    url: str
    date: dt.datetime
    audience: str = Audience.WORKSPACE
    workspace_id: int | None = None
    municipality_id: int | None = None


class Provider:
    kind: str
    label: str
    model: type[models.Model]
    workspace_lookup: str | None = None  # e.g. "workspace_id": the entry depends on the workspace's visibility

    def queryset(self) -> models.QuerySet:
        """Objects with what ``build`` needs (used for one object and for rebuilding)."""
        return self.model._default_manager.all()

    def build(self, obj) -> Entry | None:
        raise NotImplementedError

    def connect(self) -> None:
        """Hook up signals when the owning app has no actions that call ``schedule`` (optional)."""


def for_insiders(workspace) -> dict:
    """``audience`` and ``workspace_id`` of an entry for the insiders of ``workspace`` (None: the whole cooperation).

    Insiders are a workspace's members of any role and the people with a seat in a body who may read it.
    In a private or platform workspace that is who may read the workspace. A public workspace is read by
    everybody, so its insiders' entries go to the members with a seat in a body: its external members (no
    seat) cannot find them, and they are not in the workspace filter; nobody finds what they may not open.
    """
    from workspaces.models import Workspace

    if workspace is None or workspace.visibility == Workspace.Visibility.PUBLIC:
        return {"audience": Audience.MEMBERS, "workspace_id": None}
    return {"audience": Audience.WORKSPACE, "workspace_id": workspace.pk}


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _providers[provider.kind] = provider
    provider.connect()


def provider_for(kind: str) -> Provider | None:
    return _providers.get(kind)


def providers() -> list[Provider]:
    return list(_providers.values())
