"""Objects the permission matrices need: a released project with a partner, a milestone and a decision link,
and an unreleased one. Nobody of the personas is in the projects' teams except the office."""

from __future__ import annotations

import datetime as dt

from meetings.models import AgendaItem, Decision
from members.models import Body, Municipality
from projects import actions


def steering_decision(office) -> Decision:
    """A Regiegruppe decision in the decision register (a held meeting with an open agenda item)."""
    from django.utils import timezone

    from meetings.core.actions import create_meeting
    from meetings.minutes.actions import add_decision

    body = Body.objects.get(slug="regiegruppe")
    start = timezone.now() - dt.timedelta(days=30)
    meeting, _warnings = create_meeting(
        None, body, start=start, end=start + dt.timedelta(hours=2), status="held", title="Regiegruppe (Projekttest)"
    )
    item = AgendaItem.objects.create(
        body=body, meeting=meeting, status=AgendaItem.Status.ACCEPTED, position=1, title="Projektantrag"
    )
    return add_decision(office, item, "Die Regiegruppe beschließt, das Projekt zu beantragen.")


def project_ids(personas) -> dict[str, object]:
    office = personas["office"]
    essen = Municipality.objects.get(slug="essen")
    project = actions.create_project(
        office, title="Matrixprojekt", slug="matrixprojekt", lead_municipality=essen, summary="Worum es geht."
    )
    partner = actions.set_partner(office, project, Municipality.objects.get(slug="herne"))
    milestone = actions.add_milestone(office, project, title="Auftakt", due_on=dt.date(2024, 1, 15))
    link = actions.link_decision(office, project, steering_decision(office))
    actions.release(office, project, project.version)
    hidden = actions.create_project(office, title="Verborgenes Projekt", slug="verborgen", lead_municipality=essen, summary="x")
    return {
        "project": project.slug,
        "hidden_project": hidden.slug,
        "project_partner": partner.pk,
        "project_milestone": milestone.pk,
        "project_decision": link.pk,
    }
