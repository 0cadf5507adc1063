"""Who sees what of a project's funding; one function per object type, 404 for missing and forbidden alike.

- the managing office (and platform admins) see and manage everything;
- the lead city's people in the project's workspace see all figures of their project, check the partners'
  expenses and forward money;
- a partner city's people in the project's workspace see their project and their own city's figures and
  enter their own city's expenses;
- members of the Regiegruppe see every project's funding, read only;
- nobody else sees anything (the public sees nothing of funding).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from accounts.roles import is_member, is_office
from costshares.access import own_municipality_ids, sees_overview
from projects.models import JointProject
from workspaces.models import WorkspaceMember

from .models import Application, Expense, Obligation, PaymentRequest, ProofOfUse


@dataclass(frozen=True)
class Viewer:
    """What one user may do with one project's funding."""

    manage: bool  # the office: applications, notices, payment requests, overrides
    check: bool  # office or lead city: check expenses, forward, write the proof of use
    all_cities: bool  # sees every city's figures
    city_ids: frozenset[int]  # the cities whose expenses the user may enter
    own_city_ids: frozenset[int]  # the user's own cities (for filtering what a partner sees)

    def sees_city(self, municipality_id: int) -> bool:
        return self.all_cities or municipality_id in self.own_city_ids


def viewer_for(user, project: JointProject) -> Viewer | None:
    if not user.is_authenticated:
        return None
    city_ids = frozenset(project.city_ids())
    if is_office(user):
        return Viewer(True, True, True, city_ids, frozenset())
    own = frozenset(own_municipality_ids(user))
    in_workspace = WorkspaceMember.objects.filter(workspace_id=project.workspace_id, user=user).exists()
    if in_workspace and project.lead_municipality_id in own:
        return Viewer(False, True, True, city_ids, own)
    if in_workspace and own & city_ids:
        return Viewer(False, False, sees_overview(user), own & city_ids, own)
    if sees_overview(user):
        return Viewer(False, False, True, frozenset(), own)
    return None


def get_project_for_user(user, slug, *, manage: bool = False, check: bool = False) -> tuple[JointProject, Viewer]:
    project = JointProject.objects.select_related("workspace", "lead_municipality").filter(slug=str(slug)).first()
    if project is None:
        raise Http404
    viewer = viewer_for(user, project)
    if viewer is None or (manage and not viewer.manage) or (check and not viewer.check):
        raise Http404
    return project, viewer


def get_application_for_user(user, slug, *, manage: bool = False, check: bool = False, enter: bool = False):
    """The project's current application (the newest) and the viewer; ``enter``: may enter some city's expenses."""
    project, viewer = get_project_for_user(user, slug, manage=manage, check=check)
    if enter and not viewer.city_ids:
        raise Http404
    application = (
        Application.objects.filter(project=project).select_related("programme", "notice", "project").order_by("-created").first()
    )
    if application is None:
        raise Http404
    application.project = project
    return application, viewer


def get_proof_for_user(user, slug, pk, *, check: bool = False) -> tuple[ProofOfUse, Viewer]:
    application, viewer = get_application_for_user(user, slug, check=check)
    proof = ProofOfUse.objects.filter(application=application, pk=_int(pk)).first()
    if proof is None:
        raise Http404
    proof.application = application
    return proof, viewer


def get_expense_for_user(user, slug, pk, *, check: bool = False) -> tuple[Expense, Viewer]:
    application, viewer = get_application_for_user(user, slug, check=check)
    expense = Expense.objects.filter(application=application, pk=_int(pk)).first()
    if expense is None or not viewer.sees_city(expense.municipality_id):
        raise Http404
    return expense, viewer


def get_obligation_for_user(user, slug, pk) -> tuple[Obligation, Viewer]:
    """A condition may be marked as met by the office, the lead city or the person it is assigned to."""
    application, viewer = get_application_for_user(user, slug)
    obligation = Obligation.objects.filter(notice__application=application, pk=_int(pk)).select_related("notice").first()
    if obligation is None or not (viewer.check or obligation.owner_id == user.pk):
        raise Http404
    obligation.notice.application = application
    return obligation, viewer


def get_request_for_user(user, slug, pk) -> tuple[PaymentRequest, Viewer]:
    application, viewer = get_application_for_user(user, slug, manage=True)
    request = PaymentRequest.objects.filter(application=application, pk=_int(pk)).first()
    if request is None:
        raise Http404
    return request, viewer


def sees_rules(user) -> bool:
    """The rules are no secret, but funding is nothing for the public: everybody with a seat in a body."""
    return is_member(user)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
