"""Joint projects in the site's search, found by exactly who may open the page the hit links to.

A released project is found by everybody and links to its public page (what it shows: title, summary,
goals, measures, results). A project that is not released links to its internal page and is found by
those who may read it (projects/access.py): the members of its workspace, the office, and the
Regiegruppe's members (as named readers, taken when the entry is written; the search checks every hit
against ``projects_visible_to`` as well, so a seat that ended never opens anything).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from search.models import Audience
from search.registry import Entry, Provider

from .access import steering_group_seats
from .models import JointProject


def _steering_group_users() -> list[int]:
    seats = steering_group_seats().filter(person__user__isnull=False)
    return list(seats.values_list("person__user_id", flat=True).distinct())


class ProjectProvider(Provider):
    kind = "joint_project"
    label = _("Gemeinschaftsprojekte")
    model = JointProject

    def queryset(self):
        return JointProject.objects.select_related("lead_municipality")

    def visible_to(self, user):
        from .access import projects_visible_to

        return JointProject.objects.filter(Q(released_at__isnull=False) | Q(pk__in=projects_visible_to(user).values("pk")))

    def build(self, project: JointProject) -> Entry:
        body = "\n".join(
            [project.summary, *project.goal_list, *project.measure_list, project.results, project.lead_municipality.name]
        )
        if project.is_released:
            return Entry(
                title=project.title,
                body=body,
                url=project.get_public_url(),
                date=project.released_at,
                audience=Audience.PUBLIC,
                municipality_id=project.lead_municipality_id,
            )
        return Entry(
            title=project.title,
            body=body,
            url=project.get_absolute_url(),
            date=project.modified,
            audience=Audience.OFFICE,
            workspace_id=project.workspace_id,
            municipality_id=project.lead_municipality_id,
            readers=_steering_group_users(),
        )
