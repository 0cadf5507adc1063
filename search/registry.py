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
``actions.py`` calls ``search.indexing.schedule("post", post.pk)``, which writes the entry in the same
transaction; ``visible_to(user)`` names the kind's access function, which every hit is checked against.

Who may find an entry is expressed by fields that the query filters on in SQL (search/backends.py):

- ``audience``: public / members / office (by the searcher's platform role), or ``workspace``: everybody
  who may see the entry's workspace;
- ``workspace_id``: the workspace the object belongs to (also for the workspace filter). Its members of any
  role always find the entry, whatever the audience: a provider indexes nothing in a workspace that all of
  its members may not open (drafts and trashed documents are not indexed at all);
- ``readers`` / ``reader_municipalities``: further readers of this one object (``SearchGrant``), e.g. the
  assignees of a task, in person or as every active person of a municipality.

An entry is found by a searcher who matches any of them, so a provider expresses the object's access
function exactly: nobody finds what they may not open, and everybody finds what they may open.
``build`` must only put into ``title`` and ``body`` what all of them may see.

Some content is for a workspace's *insiders* only (its members of any role, plus people with a seat in a
body who may read the workspace): comments and tasks. In a private or platform workspace that is exactly
who may see the workspace; in a public one it is the members of the workspace and everybody with a seat in
a body (``for_insiders``). Such entries depend on the workspace's visibility, so the provider names the
lookup to the workspace in ``workspace_lookup``: when a workspace's visibility changes, its objects are
indexed again (``reindex_workspace_content``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
    readers: Iterable[int] = ()  # user ids who may open this object besides audience and workspace
    reader_municipalities: Iterable[int] = ()  # municipalities whose active people may open it


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

    def visible_to(self, user) -> models.QuerySet | None:
        """The kind's access function as a queryset (``documents_visible_to(user)`` …): the search drops every
        hit outside it, so an entry that is not yet (or wrongly) up to date never shows. None: no check."""
        return None

    def connect(self) -> None:
        """Hook up signals when the owning app has no actions that call ``schedule`` (optional)."""


def for_insiders(workspace) -> dict:
    """``audience`` and ``workspace_id`` of an entry for the insiders of ``workspace`` (None: the whole cooperation).

    Insiders are a workspace's members of any role and the people with a seat in a body who may read it.
    In a private or platform workspace that is who may read the workspace. A public workspace is read by
    everybody, so its insiders' entries are for the members with a seat in a body; the workspace's own
    members (also external ones without a seat) find them as members of the entry's workspace.
    """
    from workspaces.models import Workspace

    if workspace is None:
        return {"audience": Audience.MEMBERS, "workspace_id": None}
    if workspace.visibility == Workspace.Visibility.PUBLIC:
        return {"audience": Audience.MEMBERS, "workspace_id": workspace.pk}
    return {"audience": Audience.WORKSPACE, "workspace_id": workspace.pk}


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _providers[provider.kind] = provider
    provider.connect()


def provider_for(kind: str) -> Provider | None:
    return _providers.get(kind)


def providers() -> list[Provider]:
    return list(_providers.values())
