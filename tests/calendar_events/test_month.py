"""The month view: an accessible table of a month's dates beside the list (issue 10)."""

from __future__ import annotations

import re

import pytest
import time_machine

from workspaces.models import Workspace, WorkspaceMember

from ..workspaces.conftest import give_role
from .conftest import berlin

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace(make_workspace, personas):
    workspace = make_workspace(Workspace.Visibility.PLATFORM)
    give_role(workspace, personas["member"], WorkspaceMember.Role.EDITOR)
    return workspace


@time_machine.travel(berlin(2031, 3, 12, 9, 0), tick=False)
def test_the_month_table_shows_dates_on_their_days_and_marks_today(client_for, workspace, make_event):
    make_event(workspace, title="Regietreffen", starts_at=berlin(2031, 3, 30, 10, 0))
    make_event(workspace, title="Klausur", starts_at=berlin(2031, 3, 17, 9, 0), ends_at=berlin(2031, 3, 18, 16, 0))
    make_event(workspace, title="Im April", starts_at=berlin(2031, 4, 10, 9, 0))
    page = client_for("member").get(f"/arbeitsbereiche/{workspace.slug}/termine/monat/").content.decode()
    assert "<caption" in page and "März 2031" in page
    assert page.count('scope="col"') == 7
    assert re.search(r'datetime="2031-03-12" aria-current="date"', page)
    assert page.count('aria-current="date"') == 1
    assert "10:00 Regietreffen" in page and page.count("Klausur") == 2  # on both of its days
    assert "Im April" not in page
    assert "?monat=2031-02" in page and "?monat=2031-04" in page
    april = client_for("member").get(f"/arbeitsbereiche/{workspace.slug}/termine/monat/?monat=2031-04").content.decode()
    assert "Im April" in april and 'aria-current="date"' not in april


@time_machine.travel(berlin(2031, 3, 12, 9, 0), tick=False)
def test_the_personal_month_shows_one_s_own_dates_and_ignores_a_bad_month(client_for, workspace, make_event):
    make_event(workspace, title="Regietreffen", starts_at=berlin(2031, 3, 30, 10, 0))
    assert "Regietreffen" in client_for("member").get("/mein-kalender/monat/").content.decode()
    assert "Regietreffen" not in client_for("office").get("/mein-kalender/monat/").content.decode()
    fallback = client_for("member").get("/mein-kalender/monat/?monat=1999-13")
    assert fallback.status_code == 200 and "März 2031" in fallback.content.decode()


def test_outsiders_do_not_see_a_private_workspace_s_month(client_for, make_workspace):
    private = make_workspace(Workspace.Visibility.PRIVATE, name="Geheim")
    assert client_for("outsider").get(f"/arbeitsbereiche/{private.slug}/termine/monat/").status_code == 404
