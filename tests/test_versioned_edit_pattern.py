"""One versioned-edit pattern in every view: ``lib.concurrency.apply_edit`` and ``failed_status``.

A view that catches ``EditConflict`` itself tends to drift (the conflict lands at the top of the page
instead of on the form, the page answers 200, an action's error loses its field). The first test reads
every view module with ``ast`` and fails on such a handler. The others edit each converted page from a
stale form, as a second editor who loaded the page before somebody else saved would: the page answers
409, shows the typed text again, and nothing is written.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile

from audit.models import AuditEvent
from tests.test_views_do_not_write import _view_modules
from tests.workspaces.conftest import give_role, lead, make_workspace  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parent.parent

# Folders whose views still catch EditConflict by hand; another branch converts them. Empty it once merged.
NOT_YET_CONVERTED: list[str] = []

CONFLICT = "inzwischen von jemand anderem geändert"

pytestmark = pytest.mark.sqlite_fast


def _names(node: ast.expr | None) -> set[str]:
    if node is None:
        return set()
    if isinstance(node, ast.Tuple):
        return set().union(*(_names(element) for element in node.elts))
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Name):
        return {node.id}
    return set()


def hand_written_conflicts(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    relative = str(path.relative_to(root))
    return [
        f"{relative}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler) and "EditConflict" in _names(node.type)
    ]


def test_no_view_catches_edit_conflict_itself():
    modules = [
        path
        for path in _view_modules()
        if not any(str(path.relative_to(ROOT)).startswith(prefix) for prefix in NOT_YET_CONVERTED)
    ]
    assert any(str(path.relative_to(ROOT)) == "tasks/views.py" for path in modules)
    found = [line for path in modules for line in hand_written_conflicts(path)]
    assert not found, "Views catching EditConflict by hand (use lib.concurrency.apply_edit):\n" + "\n".join(found)


def test_the_check_sees_a_hand_written_conflict(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "def edit(request):\n"
        "    try:\n"
        "        save()\n"
        "    except (ValueError, concurrency.EditConflict):\n"
        "        pass\n"
        "    try:\n"
        "        save()\n"
        "    except EditConflict:\n"
        "        pass\n"
    )
    assert hand_written_conflicts(module, root=tmp_path) == ["views.py:4", "views.py:8"]


# --- Every converted page, edited from a stale form -------------------------------------------------


def _form_data(form) -> dict:
    """What a browser would post for ``form`` as the page showed it."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == [] or isinstance(value, FieldFile):
            continue  # a browser posts no unticked box, no empty choice and no stored file
        data[form.add_prefix(name)] = "on" if value is True else value
    return data


def _stale_post(client, url: str, form, typed: dict, somebody_else_saves) -> str:
    """Post ``form`` (as loaded) with ``typed`` after somebody else saved; the page keeps the typed text, answers 409
    and writes nothing (not even an audit entry)."""
    data = {**_form_data(form), **typed}
    somebody_else_saves()
    audit_entries = AuditEvent.objects.count()
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 409, page[:2000]
    assert CONFLICT in page
    for value in typed.values():
        assert str(value) in page
    assert AuditEvent.objects.count() == audit_entries
    return page


@pytest.fixture
def project(personas, make_workspace, lead):  # noqa: F811 - fixtures
    from workspaces.models import Workspace

    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Forum 2027")
    give_role(workspace, personas["member"], "editor")
    return workspace


@pytest.mark.django_db
def test_task_edit(project, lead, client_for):  # noqa: F811
    from tasks.actions import create_task, update_task
    from tasks.models import Task

    task = create_task(lead, project, title="Plan")
    client = client_for("member")
    url = f"/aufgaben/{task.pk}/bearbeiten/"
    form = client.get(url).context["form"]
    _stale_post(
        client,
        url,
        form,
        {"title": "Mein getippter Plan"},
        lambda: update_task(lead, Task.objects.get(pk=task.pk), 1, title="Plan A"),
    )
    assert Task.objects.get(pk=task.pk).title == "Plan A"


@pytest.mark.django_db
def test_task_status(project, lead, personas, client_for):  # noqa: F811
    from tasks.actions import create_task, update_task
    from tasks.models import Task

    task = create_task(lead, project, title="Plan", assignees=[personas["member"]])
    client = client_for("member")
    form = client.get(task.get_absolute_url()).context["status_form"]
    _stale_post(
        client,
        f"/aufgaben/{task.pk}/status/",
        form,
        {"status": "done"},
        lambda: update_task(lead, Task.objects.get(pk=task.pk), 1, status="in_progress"),
    )
    assert Task.objects.get(pk=task.pk).status == "in_progress"


@pytest.mark.django_db
def test_task_city_status(project, lead, personas, client_for):  # noqa: F811
    from members.models import Municipality
    from tasks.actions import create_task, set_city_status
    from tasks.models import TaskCity

    task = create_task(lead, project, title="Zahlen liefern", municipalities=[Municipality.objects.get(slug="bochum")])
    row = TaskCity.objects.get(task=task)
    client = client_for("member")  # Bochum
    forms = dict(client.get(task.get_absolute_url()).context["city_rows"])
    _stale_post(
        client,
        f"/aufgaben/{task.pk}/staedte/{row.pk}/",
        forms[row],
        {f"stadt-{row.pk}-status": "done", f"stadt-{row.pk}-note": "Meine getippte Notiz"},
        lambda: set_city_status(personas["member"], TaskCity.objects.get(pk=row.pk), 1, status="in_progress", note="früher"),
    )
    assert TaskCity.objects.get(pk=row.pk).note == "früher"


@pytest.mark.django_db
def test_workspace_edit(project, lead, client_for):  # noqa: F811
    from django.test import Client

    from workspaces.actions import update_workspace
    from workspaces.models import Workspace

    client = Client()
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/arbeitsbereiche/{project.slug}/bearbeiten/"
    form = client.get(url).context["form"]
    _stale_post(
        client,
        url,
        form,
        {"description": "Meine getippte Beschreibung"},
        lambda: update_workspace(lead, Workspace.objects.get(pk=project.pk), project.version, name="Forum 2027 – Ort"),
    )
    assert Workspace.objects.get(pk=project.pk).description == ""


@pytest.mark.django_db
def test_post_edit(project, personas, client_for):
    from news.actions import create_post, update_post
    from news.models import Post

    post = create_post(personas["member"], project, title="Plan", body="Version 1")
    client = client_for("member")
    url = f"/neuigkeiten/{post.pk}/bearbeiten/"
    form = client.get(url).context["form"]
    _stale_post(
        client,
        url,
        form,
        {"body": "Mein getippter Text"},
        lambda: update_post(personas["member"], Post.objects.get(pk=post.pk), 1, title="Plan A"),
    )
    assert Post.objects.get(pk=post.pk).body == "Version 1"


@pytest.mark.django_db
def test_own_profile_edit(personas, client_for):
    from members.actions import update_person
    from members.models import Person

    person = personas["member"].person
    client = client_for("member")
    form = client.get("/profil/bearbeiten/").context["form"]
    _stale_post(
        client,
        "/profil/bearbeiten/",
        form,
        {"family_name": "Getippt"},
        lambda: update_person(personas["member"], Person.objects.get(pk=person.pk), person.version, given_name="Marah"),
    )
    assert Person.objects.get(pk=person.pk).family_name == "Member"


@pytest.mark.django_db
def test_person_edit_by_the_office(personas, client_for):
    from members.actions import update_person
    from members.models import Person

    person = personas["member"].person
    client = client_for("office")
    url = f"/verwaltung/personen/{person.pk}/bearbeiten/"
    form = client.get(url).context["form"]
    _stale_post(
        client,
        url,
        form,
        {"family_name": "Getippt"},
        lambda: update_person(personas["office"], Person.objects.get(pk=person.pk), person.version, given_name="Marah"),
    )
    assert Person.objects.get(pk=person.pk).family_name == "Member"


@pytest.mark.django_db
def test_municipality_edit(personas, client_for):
    from members.actions import update_municipality
    from members.models import Municipality

    city = Municipality.objects.get(slug="hagen")
    client = client_for("office")
    url = "/verwaltung/kommunen/hagen/bearbeiten/"
    form = client.get(url).context["form"]
    _stale_post(
        client,
        url,
        form,
        {"website": "https://getippt.example"},
        lambda: update_municipality(
            personas["office"], Municipality.objects.get(pk=city.pk), city.version, website="https://erste.example"
        ),
    )
    assert Municipality.objects.get(pk=city.pk).website == "https://erste.example"


@pytest.mark.django_db
def test_event_edit(project, lead, client_for):  # noqa: F811
    from django.utils import timezone

    from calendar_events.actions import create_event, update_event
    from calendar_events.models import Event

    starts = (timezone.now() + dt.timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
    event = create_event(
        lead, project, title="Projekttreffen", starts_at=starts, ends_at=starts + dt.timedelta(hours=2), location="Rathaus Herne"
    )
    client = client_for("member")
    url = f"/termine/{event.pk}/bearbeiten/"
    form = client.get(url).context["form"]
    _stale_post(
        client,
        url,
        form,
        {"location": "Mein getippter Raum"},
        lambda: update_event(lead, Event.objects.get(pk=event.pk), event.version, title="Erste Fassung"),
    )
    assert Event.objects.get(pk=event.pk).location == "Rathaus Herne"


@pytest.mark.django_db
def test_document_edit(project, lead, client_for, settings, tmp_path):  # noqa: F811
    from documents import actions
    from documents.models import Document

    settings.MEDIA_ROOT = tmp_path / "media"
    document = actions.upload(lead, project, SimpleUploadedFile("plan.txt", b"Plan", content_type="text/plain"))
    client = client_for("member")
    url = f"/dokumente/{document.pk}/"
    form = client.get(url).context["form"]
    _stale_post(
        client,
        url,
        form,
        {"title": "Mein getippter Titel"},
        lambda: actions.update_document(
            lead,
            Document.objects.get(pk=document.pk),
            document.version,
            title="Neuer Titel",
            description="",
            folder=None,
            tags=[],
        ),
    )
    assert Document.objects.get(pk=document.pk).title == "Neuer Titel"
