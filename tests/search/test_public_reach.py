"""The ``public`` column of search entries: what a search without an account may find (search/models.py).

It restates the rule for anonymous searchers as one column, so it must follow every change of that rule at once,
and a stale value must never show anything (the per-hit access check stays the last word)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from search.indexing import refresh_public
from search.models import SearchEntry
from search.service import search
from workspaces import actions as workspace_actions
from workspaces.models import Workspace

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


def _expected(entry: SearchEntry) -> bool:
    """Worked out from the rows as an outsider would state the rule: public audience, or a public workspace's entry."""
    if entry.audience == "public":
        return True
    return entry.audience == "workspace" and Workspace.objects.get(pk=entry.workspace_id).visibility == "public"


def _anonymous_titles(word: str) -> set[str]:
    return {hit.title for hit in search(AnonymousUser(), word).hits}


def test_every_entry_says_whether_it_is_found_without_an_account(scene):
    entries = list(SearchEntry.objects.all())
    assert any(e.public for e in entries) and any(not e.public for e in entries)
    assert [(e.kind, e.object_id) for e in entries if e.public != _expected(e)] == []


def test_a_workspace_made_public_is_found_at_once_and_hidden_again_when_made_private(scene, users):
    workspace = scene["workspaces"]["private"]
    assert "Dok-private" not in _anonymous_titles("Geheimprojekt")
    workspace_actions.update_workspace(users["lead"], workspace, workspace.version, visibility=Workspace.Visibility.PUBLIC)
    assert "Dok-private" in _anonymous_titles("Geheimprojekt")  # in the action's transaction, no worker
    workspace.refresh_from_db()
    workspace_actions.update_workspace(users["lead"], workspace, workspace.version, visibility=Workspace.Visibility.PRIVATE)
    assert "Dok-private" not in _anonymous_titles("Geheimprojekt")
    assert [e.pk for e in SearchEntry.objects.all() if e.public != _expected(e)] == []


def test_a_change_that_bypasses_the_actions_never_shows_a_closed_workspace(scene):
    """An UPDATE (or the admin) closes the public workspace without the action: its entries still say public.
    The search's check of every hit against the access function keeps them out of page and results."""
    Workspace.objects.filter(pk=scene["workspaces"]["public"].pk).update(visibility=Workspace.Visibility.PRIVATE)
    assert SearchEntry.objects.filter(workspace=scene["workspaces"]["public"], public=True).exists()  # stale on purpose
    assert "Dok-public" not in _anonymous_titles("Straßenfest")
    page = Client().get("/suche/", {"q": "Straßenfest"}).content.decode()
    assert f"/dokumente/{scene['docs']['public'].pk}/" not in page
    assert refresh_public() >= 1  # repaired by the bulk refresh
    assert [e.pk for e in SearchEntry.objects.all() if e.public != _expected(e)] == []
