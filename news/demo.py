"""Demo news: posts in the demo workspaces and for the whole cooperation, with a comment and a mention.

Invented people only (the demo personas). Idempotent: posts are recognised by their title.
"""

from __future__ import annotations

from accounts.models import User
from workspaces.demo import FORUM_NAME, PROJECT_NAME
from workspaces.models import Workspace

from .actions import add_comment, create_post
from .models import Post


def _mention(user) -> str:
    person = getattr(user, "person", None)
    return f"@{person.given_name} {person.family_name}" if person else ""


def load_demo_news() -> int:
    office = User.objects.filter(email="geschaeftsstelle@interkommunal.example").first()
    team = User.objects.filter(email="projektteam@interkommunal.example").first()
    speaker = User.objects.filter(email="sprecherin@interkommunal.example").first()
    project = Workspace.objects.filter(name=PROJECT_NAME).first()
    forum = Workspace.objects.filter(name=FORUM_NAME).first()
    if not (office and team and project and forum):
        return 0
    created = 0
    if not Post.objects.filter(title="Auftakt: Azubi-Kampagne 2027").exists():
        post = create_post(
            office,
            project,
            title="Auftakt: Azubi-Kampagne 2027",
            body=(
                "Die Städte haben sich auf eine gemeinsame Kampagne für Ausbildungsplätze geeinigt.\n\n"
                f"- Entwurf der Plakate bis Ende des Monats\n- Abstimmung mit den Personalämtern\n\n"
                f"{_mention(team)}, übernehmen Sie bitte die Abstimmung mit den Personalämtern?"
            ),
        )
        add_comment(team, post, "Gern! Ich melde mich bei allen Städten bis Freitag.")
        created += 1
    if not Post.objects.filter(title="Programm des Forums steht").exists():
        create_post(
            office,
            forum,
            title="Programm des Forums steht",
            body="Das **Interkommunale Forum 2027** beginnt um 10 Uhr mit einem Grußwort. Anmeldungen sind ab sofort möglich.",
            is_public=True,
        )
        created += 1
    if not Post.objects.filter(title="Hagen ist zehntes Mitglied der Kooperation").exists():
        create_post(
            office,
            None,
            title="Hagen ist zehntes Mitglied der Kooperation",
            body="Seit November 2023 gehört Hagen zur Städtekooperation. Herzlich willkommen!"
            + (f"\n\n{_mention(speaker)} begrüßt die Stadt beim nächsten Regietreffen." if speaker else ""),
            is_public=True,
        )
        created += 1
    return created
