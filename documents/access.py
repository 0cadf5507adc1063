"""Who may read, add to and manage documents.

- read: whoever may see the workspace (workspaces.access.can_view); public documents (the public
  flag) also everybody else, without an account. Trashed documents only the workspace's contributors.
- upload, edit, new versions, trash and restore: the workspace's contributors (manager, editor).
- publish and delete for good: the workspace's managers (and platform admins).

``get_document_for_user`` answers 404 for a missing document and for one the user may not reach.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from workspaces.access import can_contribute, can_manage, can_view, with_viewer_role, workspaces_visible_to
from workspaces.models import Workspace

from .models import Document, DocumentVersion

READ, WRITE, MANAGE = "read", "write", "manage"


def documents_visible_to(user) -> QuerySet[Document]:
    """Documents (not trashed) that ``user`` may open."""
    return Document.objects.active().filter(Q(is_public=True) | Q(workspace__in=workspaces_visible_to(user)))


def document_visible_to(user, document: Document) -> bool:
    """The one rule for opening a document (page, download): ``may(user, document)``. Lists and the search
    use ``documents_visible_to``, which leaves trashed documents out for everybody."""
    return may(user, document, READ)


def public_documents() -> QuerySet[Document]:
    return Document.objects.active().filter(is_public=True)


def may(user, document: Document, level: str = READ) -> bool:
    workspace = document.workspace
    if level == MANAGE:
        return can_manage(user, workspace) and not workspace.is_archived
    if level == WRITE or document.is_trashed:
        return can_contribute(user, workspace)
    return document.is_public or can_view(user, workspace)


def get_document_for_user(user, pk, *, level: str = READ) -> Document:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    document = Document.objects.select_related("workspace", "folder", "current", "created_by__person").filter(pk=pk).first()
    if document is None:
        raise Http404
    document.workspace = with_viewer_role(Workspace.objects.filter(pk=document.workspace_id), user).get()
    if not may(user, document, level):
        raise Http404
    return document


def get_version_for_user(user, document_pk, number) -> DocumentVersion:
    document = get_document_for_user(user, document_pk)
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    version = document.versions.filter(number=number).first()
    if version is None:
        raise Http404
    version.document = document
    return version
