"""Demo workspaces: one per body, a joint project and a forum. Idempotent, like members.demo."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User

from .actions import add_member, create_workspace, ensure_body_workspaces
from .models import Workspace, WorkspaceMember

Role = WorkspaceMember.Role

PROJECT_NAME = "Gewinnung junger Talente mit Zuwanderungsgeschichte"
PROJECT_DESCRIPTION = """\
Gemeinschaftsprojekt der Projektgruppe: Wie gewinnen unsere Verwaltungen mehr Auszubildende
und Nachwuchskräfte mit Zuwanderungsgeschichte?

- Ausbildungsmarketing und Ansprache in Schulen und Communities
- Auswahlverfahren, die interkulturelle Kompetenz berücksichtigen
- Austausch der Erfahrungen aus den beteiligten Städten

Ziel des Kontrakts: Der Anteil der Beschäftigten mit Zuwanderungsgeschichte soll langfristig
ihrem Anteil an der Stadtbevölkerung entsprechen.
"""
FORUM_NAME = "Interkommunales Forum 2027"
FORUM_DESCRIPTION = """\
Das Interkommunale Forum bringt etwa alle zwei Jahre Verwaltung, Wirtschaft, Wissenschaft
und Zivilgesellschaft zusammen. Hier bereiten wir das Forum 2027 vor: Programm, Gastgeberstadt,
Einladungen und Dokumentation.

Alle Mitglieder der Gremien können beitreten und mitplanen.
"""

# (e-mail of a demo account, role); accounts come from members.demo.load_demo_accounts.
PROJECT_TEAM = [
    ("sprecherin@interkommunal.example", Role.MANAGER),  # Herne
    ("projektteam@interkommunal.example", Role.EDITOR),  # Dortmund
    ("gast@interkommunal.example", Role.GUEST),  # the state initiative, external
]
FORUM_TEAM = [("sprecherin@interkommunal.example", Role.EDITOR)]


def _staff(team: list[tuple[str, str]]) -> list[tuple[User, str]]:
    users = User.objects.in_bulk([email for email, _role in team], field_name="email")
    return [(users[email], role) for email, role in team if email in users]


def _workspace(creator, name: str, team, **fields) -> Workspace:
    workspace = Workspace.objects.filter(name=name).first()
    if workspace is not None:
        return workspace
    workspace = create_workspace(creator, name=name, **fields)
    for user, role in _staff(team):
        add_member(creator, workspace, user, role)
    return workspace


@transaction.atomic
def load_demo_workspaces() -> dict[str, Workspace]:
    """Body workspaces plus two examples; the managing office creates and leads both (Essen)."""
    ensure_body_workspaces()
    office = User.objects.filter(email="geschaeftsstelle@interkommunal.example").first()
    project = _workspace(
        office,
        PROJECT_NAME,
        PROJECT_TEAM,
        kind=Workspace.Kind.PROJECT,
        description=PROJECT_DESCRIPTION,
        visibility=Workspace.Visibility.PRIVATE,
        join_policy=Workspace.JoinPolicy.REQUEST,
    )
    forum = _workspace(
        office,
        FORUM_NAME,
        FORUM_TEAM,
        kind=Workspace.Kind.EVENT,
        description=FORUM_DESCRIPTION,
        visibility=Workspace.Visibility.PUBLIC,
        join_policy=Workspace.JoinPolicy.OPEN,
    )
    return {"project": project, "forum": forum}
