"""Documents in the search: title, file name, description, tags and the extracted text of the current version."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from search.models import Audience
from search.registry import Entry, Provider

from .models import Document


class DocumentProvider(Provider):
    kind = "document"
    label = _("Dokumente")
    model = Document

    def queryset(self):
        return Document.objects.select_related("current", "created_by__person").prefetch_related("tags")

    def visible_to(self, user):
        from .access import documents_visible_to

        return documents_visible_to(user)

    def build(self, document: Document) -> Entry | None:
        if document.is_trashed or document.current is None:
            return None
        version = document.current
        tags = " ".join(t.name for t in document.tags.all())
        person = getattr(document.created_by, "person", None) if document.created_by_id else None
        return Entry(
            title=document.title,
            body="\n".join(p for p in (version.file_name, document.description, tags, version.text) if p),
            url=document.get_absolute_url(),
            date=version.created,
            audience=Audience.PUBLIC if document.is_public else Audience.WORKSPACE,
            workspace_id=document.workspace_id,
            municipality_id=person.municipality_id if person else None,
        )
