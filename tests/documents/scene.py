"""Documents in workspaces of every visibility, shared by the document and search tests.

- private: the lead's private project; ``member`` (Regiegruppe) works in it as editor.
- platform: visible to everybody with a seat in a body.
- public: visible to everybody.
Each holds one document with a unique word; the private one also holds a published document and a
trashed one, so "public flag" and "trash" are covered too.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from documents import actions
from documents.models import Document
from workspaces.models import Workspace, WorkspaceMember

WORDS = {
    "private": "Geheimprojekt Ausbildungen",
    "platform": "Plattformthema Städte",
    "public": "Öffentlichkeitsarbeit Straßenfest",
    "published": "Veröffentlichungsbericht",
    "trashed": "Papierkorbnotiz",
}


def text_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/octet-stream")


def build(make_workspace, personas, lead) -> dict:
    workspaces = {
        "private": make_workspace(Workspace.Visibility.PRIVATE, name="Privates Projekt"),
        "platform": make_workspace(Workspace.Visibility.PLATFORM, name="Plattformprojekt"),
        "public": make_workspace(Workspace.Visibility.PUBLIC, name="Offenes Projekt"),
    }
    WorkspaceMember.objects.create(workspace=workspaces["private"], user=personas["member"], role=WorkspaceMember.Role.EDITOR)
    docs: dict[str, Document] = {}
    for key in ("private", "platform", "public"):
        docs[key] = actions.upload(
            lead, workspaces[key], text_file(f"{key}.txt", f"Notiz {WORDS[key]} im Bereich {key}."), title=f"Dok-{key}"
        )
    docs["published"] = actions.upload(
        lead, workspaces["private"], text_file("bericht.txt", f"Der {WORDS['published']} 2025."), title="Dok-published"
    )
    actions.set_public(lead, docs["published"], True)
    docs["trashed"] = actions.upload(
        lead, workspaces["private"], text_file("alt.txt", f"Eine {WORDS['trashed']}."), title="Dok-trashed"
    )
    actions.trash(lead, docs["trashed"])
    return {"workspaces": workspaces, "docs": docs}


# Who may find which document in the search (persona → keys). The lead manages all three workspaces.
# Trashed documents are in nobody's search; their page is open to the workspace's contributors (see OPENS).
VISIBLE = {
    "anonymous": {"public", "published"},
    "outsider": {"public", "published"},
    "guest": {"public", "published"},
    "member": {"public", "published", "platform", "private"},
    "office": {"public", "published", "platform"},
    "admin": {"public", "published", "platform", "private"},
    "lead": {"public", "published", "platform", "private"},
}
OPENS = {**VISIBLE, "member": VISIBLE["member"] | {"trashed"}, "lead": VISIBLE["lead"] | {"trashed"}}
