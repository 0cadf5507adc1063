"""generate_data at scale 1: the content kinds exist in the expected numbers, are searchable, and a re-run adds nothing."""

import contextlib
import io
import signal

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


@contextlib.contextmanager
def deadline(seconds: int):
    """Raise in the test (which then stops the workers, as Ctrl+C would) when it runs longer than ``seconds``."""

    def expired(signum, frame):
        raise TimeoutError(f"nach {seconds} s nicht fertig")

    try:
        previous = signal.signal(signal.SIGALRM, expired)
    except ValueError:  # not the main thread: no alarm there
        yield
        return
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


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


def generated_documents() -> list[tuple]:
    rows = Document.objects.filter(workspace__slug__startswith=GENERATED_PREFIX).order_by("pk")
    return list(rows.values_list("pk", "title", "workspace_id", "current__text", "current__file"))


def test_a_top_up_keeps_what_is_there_and_adds_only_what_is_missing():
    generate(documents=40)
    first = generated_documents()
    sizes = table_sizes()

    assert "nichts" in generate(documents=40)
    assert table_sizes() == sizes

    generate(documents=55)
    after = generated_documents()
    assert after[:40] == first
    assert len(after) == 55
    assert [title.rsplit(" ", 1)[1] for _pk, title, *_rest in after] == [str(i) for i in range(55)]
    assert SearchEntry.objects.filter(kind="document", object_id__in=[row[0] for row in after]).count() == 55


def entry_state(kind: str, object_id: int) -> tuple:
    """An entry as stored, with its grants and, on SQLite, its full-text row; without the time it was written."""
    entry = SearchEntry.objects.get(kind=kind, object_id=object_id)
    fields = {f.attname: getattr(entry, f.attname) for f in SearchEntry._meta.concrete_fields}
    fields.pop("indexed_at")
    grants = sorted(entry.grants.values_list("user_id", "municipality_id"), key=str)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT search_vector::text FROM search_searchentry WHERE id = %s", [entry.pk])
        else:
            cursor.execute("SELECT title, body FROM search_fts WHERE rowid = %s", [entry.pk])
        vector = cursor.fetchall()
    return fields, grants, vector


@pytest.mark.parametrize(
    ("kind", "model"), [("document", Document), ("post", Post), ("task", Task), ("event", Event)], ids=lambda v: str(v)
)
def test_generated_search_entries_are_what_the_indexing_writes(kind, model):
    """The generator builds entries in bulk; indexing each object again with the provider changes nothing."""
    from search.indexing import index_now

    generate(documents=30)
    objects = model.objects.filter(workspace__slug__startswith=GENERATED_PREFIX).order_by("pk")
    ids = list(objects.values_list("pk", flat=True))
    indexed = set(SearchEntry.objects.filter(kind=kind, object_id__in=ids).values_list("object_id", flat=True))
    sample = [pk for pk in ids[:: max(1, len(ids) // 12)] if pk in indexed]
    assert len(sample) >= 8
    if kind == "task":  # tasks with assignees have grants: compare some of them too
        assigned = list(objects.filter(assignees__isnull=False).values_list("pk", flat=True)[:4])
        assert assigned
        sample += assigned
    for object_id in sample:
        generated = entry_state(kind, object_id)
        index_now(kind, object_id)
        assert entry_state(kind, object_id) == generated, f"{kind} {object_id}"


def test_a_top_up_fills_gaps_left_by_an_interrupted_run():
    generate(documents=30)
    titles = dict(Document.objects.filter(workspace__slug__startswith=GENERATED_PREFIX).values_list("pk", "title"))
    gap = [pk for pk, title in titles.items() if 10 <= int(title.rsplit(" ", 1)[1]) < 15]
    Document.objects.filter(pk__in=gap).delete()

    generate(documents=30)
    after = Document.objects.filter(workspace__slug__startswith=GENERATED_PREFIX).values_list("title", flat=True)
    assert sorted(int(title.rsplit(" ", 1)[1]) for title in after) == list(range(30))
    assert sorted(after) == sorted(titles.values())


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel workers write with COPY on PostgreSQL only")
def test_parallel_workers_write_each_document_once(monkeypatch):
    import members.scale_content

    monkeypatch.setattr(members.scale_content, "BATCH", 7)
    with deadline(180):
        generate(documents=45, workers=2)
    documents = Document.objects.filter(workspace__slug__startswith=GENERATED_PREFIX)
    assert sorted(int(title.rsplit(" ", 1)[1]) for title in documents.values_list("title", flat=True)) == list(range(45))
    assert not documents.filter(current__isnull=True).exists()
    assert SearchEntry.objects.filter(kind="document", object_id__in=documents.values("pk")).count() == 45
    assert "nichts" in generate(documents=45, workers=2)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel workers write with COPY on PostgreSQL only")
def test_parallel_workers_open_their_own_sessions_when_the_parent_keeps_one_open(monkeypatch):
    """With psycopg's pool on (DATABASE_POOL=1), closing hands the parent's session back to the pool, open:
    forked workers must not take it from the inherited pool (they would read each other's answers)."""
    import members.scale_content

    monkeypatch.setattr(members.scale_content, "BATCH", 7)
    settings_dict = connection.settings_dict
    saved = (settings_dict["CONN_MAX_AGE"], dict(settings_dict["OPTIONS"]))
    connection.close()
    settings_dict["CONN_MAX_AGE"] = 0
    settings_dict["OPTIONS"]["pool"] = {"min_size": 2, "max_size": 2, "timeout": 10}
    try:
        connection.ensure_connection()
        assert connection.pool is not None
        with deadline(180):  # two workers on one socket wait for each other forever: fail instead
            generate(documents=30, workers=2)
        documents = Document.objects.filter(workspace__slug__startswith=GENERATED_PREFIX)
        assert sorted(int(title.rsplit(" ", 1)[1]) for title in documents.values_list("title", flat=True)) == list(range(30))
        assert SearchEntry.objects.filter(kind="document", object_id__in=documents.values("pk")).count() == 30
    finally:
        connection.close()
        connection.close_pool()
        settings_dict["CONN_MAX_AGE"], settings_dict["OPTIONS"] = saved[0], saved[1]
