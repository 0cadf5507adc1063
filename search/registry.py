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

    def queryset(self) -> models.QuerySet:
        """Objects with what ``build`` needs (used for one object and for rebuilding)."""
        return self.model._default_manager.all()

    def build(self, obj) -> Entry | None:
        raise NotImplementedError

    def connect(self) -> None:
        """Hook up signals when the owning app has no actions that call ``schedule`` (optional)."""


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _providers[provider.kind] = provider
    provider.connect()


def provider_for(kind: str) -> Provider | None:
    return _providers.get(kind)


def providers() -> list[Provider]:
    return list(_providers.values())
