"""Long document lists come in pages: a workspace's documents, its trash and the public publications.

Every document appears on exactly one page in every sort order, the links keep the filters and the
sort order, odd page numbers still land on a list, and a page costs the same queries whether the
workspace holds ten documents or a hundred."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents import actions
from documents.models import Document
from tests.documents.scene import text_file
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db

PAGE = 4
ROW = re.compile(r'<th scope="row"><a class="kern-link" href="/dokumente/(\d+)/">')
CARD_LINK = re.compile(r'href="/dokumente/(\d+)/"')


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.DOCUMENTS_PAGE_SIZE = PAGE


def client_as(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def upload_many(lead, workspace, count: int, *, folder=None, prefix="Bericht") -> list[Document]:
    documents = []
    for number in range(count):
        documents.append(
            actions.upload(
                lead, workspace, text_file(f"d{number}.txt", f"Inhalt {number}"), title=f"{prefix} {number:02d}", folder=folder
            )
        )
    # Distinct times of change, so that "zuletzt geändert zuerst" has one right answer.
    now = timezone.now()
    for age, document in enumerate(documents):
        Document.objects.filter(pk=document.pk).update(modified=now - timedelta(minutes=age))
    return documents


def rows_of(html: str) -> list[int]:
    return [int(pk) for pk in ROW.findall(html)]


def walk(client, url: str) -> tuple[list[int], list[str]]:
    """Follow the "Weiter" links from ``url`` to the end: the rows in order and the pages' HTML."""
    seen: list[int] = []
    pages: list[str] = []
    while url:
        html = client.get(url).content.decode()
        pages.append(html)
        seen += rows_of(html)
        following = re.search(r'href="(\?[^"]*)" rel="next"', html)
        url = url.split("?")[0] + following.group(1).replace("&amp;", "&") if following else ""
        assert len(pages) < 50, "the pages do not end"
    return seen, pages


@pytest.fixture
def workspace(make_workspace):
    return make_workspace(Workspace.Visibility.PRIVATE, name="Große Ablage")


@pytest.mark.parametrize(
    "sort,key",
    [
        ("", lambda d: ("", d.title, d.pk)),
        ("titel", lambda d: (d.title, d.pk)),
        ("neu", lambda d: (-d.modified.timestamp(), -d.pk)),
    ],
)
def test_every_document_is_on_exactly_one_page_in_every_order(workspace, lead, sort, key):
    documents = upload_many(lead, workspace, 10)
    expected = [d.pk for d in sorted(Document.objects.filter(pk__in=[d.pk for d in documents]), key=key)]
    base = f"/arbeitsbereiche/{workspace.slug}/dokumente/" + (f"?sortierung={sort}" if sort else "")
    seen, pages = walk(client_as(lead), base)
    assert seen == expected
    assert len(pages) == 3
    assert "Seite 1 von 3" in pages[0] and "(Einträge 1–4 von 10)" in pages[0]
    assert "Seite 3 von 3" in pages[2] and "(Einträge 9–10 von 10)" in pages[2]
    if sort:  # the sort order travels with every link
        assert f"sortierung={sort}&amp;seite=2" in pages[0]


def test_the_links_keep_the_folder_filter(workspace, lead):
    folder = actions.create_folder(lead, workspace, "Protokolle")
    inside = upload_many(lead, workspace, 6, folder=folder, prefix="Protokoll")
    upload_many(lead, workspace, 5, prefix="Sonstiges")
    seen, pages = walk(client_as(lead), f"/arbeitsbereiche/{workspace.slug}/dokumente/?ordner={folder.pk}")
    assert sorted(seen) == sorted(d.pk for d in inside)
    assert f"ordner={folder.pk}&amp;seite=2" in pages[0]
    assert "Gefilterte Dokumente" in pages[0] and "6 Einträge" in pages[0]
    assert "Filter zurücksetzen" in pages[0]


def test_first_and_last_page_links_appear_when_they_save_a_step(workspace, lead):
    upload_many(lead, workspace, 4 * PAGE)
    client = client_as(lead)
    url = f"/arbeitsbereiche/{workspace.slug}/dokumente/"
    first = client.get(url).content.decode()
    assert "Letzte Seite" in first and "seite=4" in first and "Erste Seite" not in first
    third = client.get(url + "?seite=3").content.decode()
    assert "Erste Seite" in third and "Letzte Seite" not in third  # "Weiter" already leads to the last page
    last = client.get(url + "?seite=4").content.decode()
    assert "Erste Seite" in last and 'rel="next"' not in last


@pytest.mark.parametrize("number,expected", [("abc", 1), ("0", 1), ("-3", 1), ("999", 3), ("2", 2)])
def test_odd_page_numbers_still_show_a_list(workspace, lead, number, expected):
    upload_many(lead, workspace, 10)
    response = client_as(lead).get(f"/arbeitsbereiche/{workspace.slug}/dokumente/?seite={number}")
    assert response.status_code == 200
    assert f"Seite {expected} von 3" in response.content.decode()


def test_a_folder_of_another_workspace_is_refused_with_a_message(workspace, make_workspace, lead):
    other = make_workspace(Workspace.Visibility.PRIVATE, name="Andere Ablage")
    foreign = actions.create_folder(lead, other, "Fremd")
    upload_many(lead, workspace, 2)
    html = client_as(lead).get(f"/arbeitsbereiche/{workspace.slug}/dokumente/?ordner={foreign.pk}").content.decode()
    assert "Diesen Ordner gibt es in diesem Arbeitsbereich nicht (mehr)." in html
    assert len(rows_of(html)) == 2  # the list stays usable


def test_a_page_costs_the_same_queries_for_ten_and_for_a_hundred_documents(workspace, make_workspace, lead):
    small = make_workspace(Workspace.Visibility.PRIVATE, name="Kleine Ablage")
    upload_many(lead, small, 3)
    upload_many(lead, workspace, 30)
    for document in Document.objects.filter(workspace=workspace)[:10]:
        actions.update_document(
            lead, document, document.version, title=document.title, description="", folder=None, tags=["Protokoll"]
        )
    client = client_as(lead)
    counts = []
    for target in (small, workspace):
        client.get(f"/arbeitsbereiche/{target.slug}/dokumente/")  # warm the per-process caches alike
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/arbeitsbereiche/{target.slug}/dokumente/").content.decode()
        counts.append(len(queries))
        assert len(rows_of(html)) <= PAGE
    assert counts[0] == counts[1]


def test_the_trash_comes_in_pages(workspace, lead):
    documents = upload_many(lead, workspace, 6)
    for document in documents:
        actions.trash(lead, document)
    client = client_as(lead)
    url = f"/arbeitsbereiche/{workspace.slug}/dokumente/papierkorb/"
    first = client.get(url).content.decode()
    second = client.get(url + "?seite=2").content.decode()
    shown = [CARD_LINK.findall(first), CARD_LINK.findall(second)]
    assert len(shown[0]) == PAGE and len(shown[1]) == 2
    assert sorted(int(pk) for pk in shown[0] + shown[1]) == sorted(d.pk for d in documents)
    assert "Seite 1 von 2" in first


def test_the_public_publications_come_in_pages_with_their_true_count(make_workspace, lead, client, monkeypatch):
    monkeypatch.setattr("documents.views.PUBLICATIONS_PER_PAGE", PAGE)
    workspace = make_workspace(Workspace.Visibility.PUBLIC, name="Offene Ablage")
    documents = upload_many(lead, workspace, 9, prefix="Handreichung")
    for document in documents:
        actions.set_public(lead, document, True)
    first = client.get("/veroeffentlichungen/").content.decode()
    assert "9 Einträge" in first and "Seite 1 von 3" in first
    shown = set()
    for number in (1, 2, 3):
        html = client.get(f"/veroeffentlichungen/?seite={number}").content.decode()
        shown |= {int(pk) for pk in CARD_LINK.findall(html)}
    assert shown == {d.pk for d in documents}
