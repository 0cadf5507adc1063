"""Who may see, answer and run date polls: every workspace visibility × workspace role × persona.

Polls hold people's availability, so only the workspace's members (and platform admins, for support)
see them, whatever the workspace's visibility.
"""

from __future__ import annotations

import pytest

from polls.models import Participant, Poll
from workspaces.models import Workspace, WorkspaceMember

from ..workspaces.conftest import give_role

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "guest", "member", "office", "admin"]
ROLES = [None, *WorkspaceMember.Role.values]
STARTS = {None: False, "manager": True, "editor": True, "reader": False, "guest": False}
RUNS = {None: False, "manager": True, "editor": False, "reader": False, "guest": False}  # besides the organiser


def _answer(poll) -> dict:
    return {f"slot_{slot.pk}": "yes" for slot in poll.slots.all()} | {"comment": ""}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibility", Workspace.Visibility.values)
def test_poll_pages_for_every_visibility_role_and_persona(visibility, role, personas, client_for, make_workspace, make_poll):
    workspace = make_workspace(visibility)
    poll = make_poll(workspace, invite_members=False)
    if role is not None:
        for persona in PERSONAS[1:]:
            give_role(workspace, personas[persona], role)
    failures = []
    for persona in PERSONAS:
        effective = None if persona == "anonymous" else role
        see = effective is not None or persona == "admin"
        answer = effective is not None
        start = STARTS[effective]
        run = RUNS[effective] or persona == "admin"
        closed = 302 if persona == "anonymous" else 404
        client = client_for(persona)
        pages = {
            f"/arbeitsbereiche/{workspace.slug}/terminabstimmungen/": 200 if see else closed,
            f"/terminabstimmungen/{poll.pk}/": 200 if see else closed,
            f"/arbeitsbereiche/{workspace.slug}/terminabstimmungen/neu/": 200 if start else closed,
            f"/terminabstimmungen/{poll.pk}/loeschen/": 200 if run else closed,
        }
        for url, expected in pages.items():
            status = client.get(url).status_code
            if status != expected:
                failures.append(f"{persona} GET {url}: {status}, expected {expected}")
        status = client.post(f"/terminabstimmungen/{poll.pk}/", _answer(poll)).status_code
        if status != (302 if answer else 404):
            failures.append(f"{persona} POST answer: {status}")
        answered = persona != "anonymous" and Participant.objects.filter(poll=poll, user=personas[persona]).exists()
        if answered != answer:
            failures.append(f"{persona}: answer stored {answered}, expected {answer}")
        if not run:
            status = client.post(f"/terminabstimmungen/{poll.pk}/bestaetigen/", {"slot": poll.slots.first().pk}).status_code
            if status != (302 if persona == "anonymous" else 404):
                failures.append(f"{persona} POST confirm: {status}")
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN
    assert not failures, f"{visibility}/{role}: " + "; ".join(failures)


def test_the_organiser_runs_their_poll_even_as_editor(client_for, team_workspace, make_poll, personas):
    poll = make_poll(team_workspace, actor=personas["member"])
    assert client_for("member").get(f"/terminabstimmungen/{poll.pk}/loeschen/").status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "member", "office"])
def test_missing_and_forbidden_polls_answer_404_alike(persona, client_for, make_workspace, make_poll):
    hidden = make_poll(make_workspace(Workspace.Visibility.PRIVATE))
    client = client_for(persona)
    for pk in (hidden.pk, 999_999):
        for suffix in ("", "loeschen/"):
            assert client.get(f"/terminabstimmungen/{pk}/{suffix}").status_code == 404
        assert client.post(f"/terminabstimmungen/{pk}/einladen/", {"name": "X", "email": "x@example.org"}).status_code == 404
