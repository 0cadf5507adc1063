"""Who sees and changes which joint project; one function per object type, 404 for missing and forbidden alike.

- the managing office (and platform admins) manages everything: creates projects, sets partners and status,
  links decisions, releases the public page;
- the project team, i.e. the members of the project's workspace (people of the lead and partner cities),
  see their project; its managers and editors also edit content and milestones;
- the Regiegruppe (a current seat other than guest) sees all projects, read only;
- the public sees released project pages only (``get_public_project``).

Every channel goes through these functions: the internal pages, the public website and the panels other
apps hang into the project page. Milestones appear in the calendar as events of the project's workspace,
so the calendar's own rules (``calendar_events.access``) apply there: the project team sees them.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.roles import is_office
from members.models import Body, Membership
from workspaces.models import WorkspaceMember

from .models import JointProject, Milestone, ProjectDecision, ProjectPartner

CONTRIBUTOR_ROLES = (WorkspaceMember.Role.MANAGER, WorkspaceMember.Role.EDITOR)


def steering_group_seats():
    """Current seats in the Regiegruppe that let their holders read every project (guests excluded)."""
    return (
        Membership.objects.current()
        .filter(person__is_active=True, body__kind=Body.Kind.STEERING_GROUP)
        .exclude(role=Membership.Role.GUEST)
    )


def in_steering_group(user) -> bool:
    if not user.is_authenticated:
        return False
    return steering_group_seats().filter(person__user=user).exists()


def sees_all(user) -> bool:
    return is_office(user) or in_steering_group(user)


def projects_visible_to(user) -> QuerySet[JointProject]:
    """Projects whose internal page ``user`` may read."""
    if not user.is_authenticated:
        return JointProject.objects.none()
    if sees_all(user):
        return JointProject.objects.all()
    return JointProject.objects.filter(workspace__members__user=user).distinct()


def _team_role(user, project: JointProject) -> str | None:
    if not user.is_authenticated:
        return None
    return WorkspaceMember.objects.filter(workspace_id=project.workspace_id, user=user).values_list("role", flat=True).first()


def can_view(user, project: JointProject) -> bool:
    return sees_all(user) or _team_role(user, project) is not None


def can_edit(user, project: JointProject) -> bool:
    """Content and milestones: the office, and the team's managers and editors while the workspace is open."""
    if is_office(user):
        return True
    return not project.workspace.is_archived and _team_role(user, project) in CONTRIBUTOR_ROLES


def can_manage(user, project: JointProject | None = None) -> bool:
    """Status, partners, decisions, release: the office."""
    return is_office(user)


def get_project_for_user(user, slug, *, write: bool = False, manage: bool = False) -> JointProject:
    project = JointProject.objects.select_related("workspace", "lead_municipality").filter(slug=str(slug)).first()
    if project is None:
        raise Http404
    if manage:
        allowed = can_manage(user, project)
    elif write:
        allowed = can_edit(user, project)
    else:
        allowed = can_view(user, project)
    if not allowed:
        raise Http404
    return project


def _as_int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def get_milestone_for_user(user, slug, pk, *, write: bool = False) -> Milestone:
    project = get_project_for_user(user, slug, write=write)
    milestone = Milestone.objects.filter(project=project, pk=_as_int(pk)).select_related("event").first()
    if milestone is None:
        raise Http404
    milestone.project = project
    return milestone


def get_partner_for_user(user, slug, pk) -> ProjectPartner:
    project = get_project_for_user(user, slug, manage=True)
    partner = ProjectPartner.objects.filter(project=project, pk=_as_int(pk)).select_related("municipality").first()
    if partner is None:
        raise Http404
    partner.project = project
    return partner


def get_decision_link_for_user(user, slug, pk) -> ProjectDecision:
    project = get_project_for_user(user, slug, manage=True)
    link = ProjectDecision.objects.filter(project=project, pk=_as_int(pk)).select_related("decision").first()
    if link is None:
        raise Http404
    link.project = project
    return link


def public_projects() -> QuerySet[JointProject]:
    return JointProject.objects.filter(released_at__isnull=False)


def get_public_project(slug) -> JointProject:
    """A released project page; unreleased and unknown projects answer 404 alike, for everybody."""
    project = public_projects().select_related("workspace", "lead_municipality").filter(slug=str(slug)).first()
    if project is None:
        raise Http404
    return project


def with_visible_projects(user, decisions):
    """Decisions for the register, each with ``visible_project_links``: its links to projects ``user`` may see."""
    links = ProjectDecision.objects.filter(project__in=projects_visible_to(user)).select_related("project")
    return decisions.prefetch_related(Prefetch("project_links", queryset=links, to_attr="visible_project_links"))
