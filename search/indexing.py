"""Keeping the index in step: the actions call ``schedule`` after a change; the entry is written at once, in
the action's transaction, so a change of who may see an object reaches the search together with every other
channel (issue 9: no channel lags behind the worker). Only the re-indexing of a whole workspace's content
after a change of the workspace's visibility (``schedule_workspace_content``) runs in the worker; the search
checks every hit against its kind's access function anyway (``service.search``), so nothing stale leaks."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from .backends import BODY_INDEX_CHARS, backend, clean_for_index
from .models import Audience, SearchEntry, SearchGrant
from .registry import provider_for, providers


def schedule(kind: str, object_id: int) -> None:
    """Write (or remove) the entry of one object now, in the caller's transaction: it commits or rolls
    back together with the change itself."""
    index_now(kind, object_id)


def schedule_many(kind: str, object_ids: list[int]) -> None:
    """Like ``schedule`` for several objects (e.g. the comments of a deleted post)."""
    for object_id in list(object_ids):
        index_now(kind, object_id)


def schedule_after_commit(kind: str, object_ids: list[int]) -> None:
    """For a receiver that runs *before* its change (``m2m_changed`` with ``pre_clear``): index these
    objects once the change is committed, in the worker (the search checks every hit meanwhile)."""
    from .tasks import index_objects

    ids = list(object_ids)
    if ids:
        transaction.on_commit(lambda: index_objects.enqueue(kind, ids))


def schedule_workspace_content(workspace_id: int) -> None:
    """After a workspace's visibility changed: index again what depends on it (see registry.workspace_lookup)."""
    from .tasks import index_workspace_content

    if any(p.workspace_lookup for p in providers()):
        transaction.on_commit(lambda: index_workspace_content.enqueue(workspace_id))


def _open_workspaces():
    """The workspaces that everybody may see, without an account: the workspaces' one rule."""
    from django.contrib.auth.models import AnonymousUser

    from workspaces.access import workspaces_visible_to

    return workspaces_visible_to(AnonymousUser())


def found_without_account(entry, open_workspaces: set[int] | None = None) -> bool:
    """``SearchEntry.public`` for a provider's entry: found without an account. ``open_workspaces``: the ids of
    ``_open_workspaces()`` when the caller has read them for many entries (bulk loaders); else one query."""
    if entry.audience == Audience.PUBLIC:
        return True
    if entry.audience != Audience.WORKSPACE or entry.workspace_id is None:
        return False
    if open_workspaces is not None:
        return entry.workspace_id in open_workspaces
    return _open_workspaces().filter(pk=entry.workspace_id).exists()


def refresh_public(workspace_id: int | None = None) -> int:
    """Set ``public`` of a workspace's entries (default: of all entries) from their audience and the workspace's
    visibility now: two UPDATEs of the rows that change.

    ``update_workspace`` calls it when a workspace's visibility changes; bulk loaders that write entries without
    ``index_now`` call it once afterwards. Returns the number of entries changed."""
    entries = SearchEntry.objects.all() if workspace_id is None else SearchEntry.objects.filter(workspace_id=workspace_id)
    found = Q(audience=Audience.PUBLIC) | Q(audience=Audience.WORKSPACE, workspace__in=_open_workspaces().values("pk"))
    opened = entries.filter(found, public=False).update(public=True)
    closed = entries.filter(public=True).exclude(found).update(public=False)
    return opened + closed


def _fields(entry) -> dict:
    return {
        "workspace_id": entry.workspace_id,
        "municipality_id": entry.municipality_id,
        "audience": entry.audience,
        "public": found_without_account(entry),
        "date": entry.date,
        "title": clean_for_index(entry.title)[:300],
        "body": clean_for_index(entry.body)[:BODY_INDEX_CHARS],
        "url": entry.url[:300],
    }


@transaction.atomic
def index_now(kind: str, object_id: int) -> SearchEntry | None:
    """Write the entry of one object, or remove it when the object is gone or not searchable."""
    provider = provider_for(kind)
    if provider is None:
        return None
    obj = provider.queryset().filter(pk=object_id).first()
    data = provider.build(obj) if obj is not None else None
    if data is None:
        remove(kind, [object_id])
        return None
    row, _created = SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults=_fields(data))
    backend().write(row)
    _write_grants(row, data)
    return row


def _write_grants(row: SearchEntry, entry) -> None:
    """Make the entry's grants exactly the provider's readers (only what changed is written)."""
    wanted = {("user", pk) for pk in set(entry.readers)} | {("municipality", pk) for pk in set(entry.reader_municipalities)}
    existing = {}
    for grant in SearchGrant.objects.filter(entry=row).only("pk", "user_id", "municipality_id"):
        existing[("user", grant.user_id) if grant.user_id else ("municipality", grant.municipality_id)] = grant.pk
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        SearchGrant.objects.filter(pk__in=stale).delete()
    new = [
        SearchGrant(entry=row, **{"user_id" if side == "user" else "municipality_id": pk})
        for side, pk in sorted(wanted - existing.keys())
    ]
    if new:
        SearchGrant.objects.bulk_create(new)


def reindex_workspace_content(workspace_id: int) -> int:
    count = 0
    for provider in providers():
        if not provider.workspace_lookup:
            continue
        objects = provider.model._default_manager.filter(**{provider.workspace_lookup: workspace_id})
        ids = objects.values_list("pk", flat=True)
        for object_id in ids.iterator():
            index_now(provider.kind, object_id)
            count += 1
    return count


def remove(kind: str, object_ids: list[int]) -> None:
    ids = list(SearchEntry.objects.filter(kind=kind, object_id__in=object_ids).values_list("pk", flat=True))
    backend().delete(ids)
    SearchEntry.objects.filter(pk__in=ids).delete()


def rebuild(kinds: list[str] | None = None, batch: int = 500) -> int:
    """Index every object of the given kinds again (demo, benchmark, after changing a provider)."""
    count = 0
    for provider in providers():
        if kinds and provider.kind not in kinds:
            continue
        existing = set(SearchEntry.objects.filter(kind=provider.kind).values_list("object_id", flat=True))
        seen = set()
        for obj in provider.queryset().iterator(chunk_size=batch):
            seen.add(obj.pk)
            if index_now(provider.kind, obj.pk) is not None:
                count += 1
        remove(provider.kind, list(existing - seen))
    return count
