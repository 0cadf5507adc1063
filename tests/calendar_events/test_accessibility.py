"""axe and 320 px reflow for the calendar and poll pages that need objects (the journey covers the others)."""

from __future__ import annotations

import pytest

from polls.actions import create_poll
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from workspaces.models import Workspace, WorkspaceMember

from ..workspaces.conftest import give_role
from .conftest import soon

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_event_and_poll_pages_are_accessible(page, login_as, personas, lead, make_workspace, make_event):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Forum mit sehr langem Namen für schmale Bildschirme")
    give_role(workspace, personas["member"], WorkspaceMember.Role.MANAGER)
    event = make_event(
        workspace, starts_at=soon(3), ends_at=soon(3, 12), online_url="https://konferenz.interkommunal.example/raum/1"
    )
    poll = create_poll(lead, workspace, title="Termin finden", location="Essen", deadline=soon(2), slots=[(soon(5), soon(5, 12))])
    login_as(personas["member"])
    urls = [
        f"/arbeitsbereiche/{workspace.slug}/",
        f"/termine/{event.pk}/",
        f"/termine/{event.pk}/bearbeiten/",
        f"/termine/{event.pk}/loeschen/",
        f"/terminabstimmungen/{poll.pk}/",
        f"/terminabstimmungen/{poll.pk}/loeschen/",
    ]
    problems = []
    for url in urls:
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            try:
                assert_accessible(page, context=f"{url} @{width}px")
                if width == 320:
                    assert_no_horizontal_scroll(page, context=url)
            except AssertionError as exc:
                problems.append(str(exc))
    # The feed address shown once, and an edit form with errors.
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto("/mein-kalender/")
    page.get_by_role("button", name="Abonnement-Adresse erzeugen").click()
    page.get_by_label("Ihre Abonnement-Adresse").wait_for()
    for check in (assert_accessible, assert_no_horizontal_scroll):
        try:
            check(page, context="my calendar with feed address")
        except AssertionError as exc:
            problems.append(str(exc))
    page.goto(f"/termine/{event.pk}/bearbeiten/")
    page.get_by_label("Ende", exact=True).fill("2020-01-01T10:00")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Das Ende muss nach dem Beginn liegen.").first.wait_for()
    try:
        assert_accessible(page, context="event form with errors")
    except AssertionError as exc:
        problems.append(str(exc))
    assert not problems, "\n\n".join(problems)
