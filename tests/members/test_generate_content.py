"""generate_data at scale 1: the content kinds exist in the expected numbers, are searchable, and a re-run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from calendar_events.models import Event
from documents.models import Document, DocumentVersion
from meetings.models import AgendaItem, Meeting
from members.scale_content import GENERATED_PREFIX, INVITATION_WORKSPACE, targets
from news.models import Post
from search.models import SearchEntry
from tasks.models import Task
from workspaces.models import Workspace, WorkspaceMember

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_data", scale=1, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def table_sizes() -> dict[str, int]:
    with connection.cursor() as cursor:
        sizes = {}
        for table in connection.introspection.table_names(cursor):
            if table.startswith("search_fts"):
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from the schema
            sizes[table] = cursor.fetchone()[0]
        return sizes


def test_scale_one_has_every_kind_of_content_and_a_rerun_adds_nothing():
    generate()
    goal = targets(1)
    generated = {"workspace__slug__startswith": GENERATED_PREFIX}

    assert Workspace.objects.filter(slug__startswith=GENERATED_PREFIX).count() == goal["workspaces"] + 1
    invitation = WorkspaceMember.objects.filter(workspace__slug=INVITATION_WORKSPACE)
    assert invitation.count() == 2  # every tenth of the 20 generated people has an account
    assert Post.objects.filter(**generated).count() == goal["posts"] == 100
    assert Task.objects.filter(**generated).count() == goal["tasks"]
    assert Event.objects.filter(**generated).count() == goal["events"]
    meetings = Meeting.objects.filter(title__endswith="(generiert)")
    assert meetings.count() == goal["meetings"] == 1
    assert AgendaItem.objects.filter(meeting__in=meetings).count() == 8

    documents = Document.objects.filter(**generated)
    assert documents.count() == goal["documents"] == 1000
    assert not documents.filter(current__isnull=True).exists()
    versions = DocumentVersion.objects.filter(document__in=documents)
    assert not versions.filter(text="").exists()
    assert versions.values("file").distinct().count() <= 8  # the files share a few stored blobs
    assert SearchEntry.objects.filter(kind="document", object_id__in=documents.values("pk")).count() == 1000
    assert SearchEntry.objects.filter(kind="post").count() == Post.objects.filter(published_at__isnull=False).count()

    before = table_sizes()
    assert "nichts" in generate()
    assert table_sizes() == before


def test_document_count_is_its_own_option():
    generate(documents=30)
    assert Document.objects.filter(workspace__slug__startswith=GENERATED_PREFIX).count() == 30
    generate(documents=40)
    assert Document.objects.filter(workspace__slug__startswith=GENERATED_PREFIX).count() == 40
