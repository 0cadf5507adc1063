"""Everything that changes joint projects goes through here: views, the demo and tests alike.

Each action checks who acts, validates, writes atomically and records the change in the audit log.
Edits of the project itself are versioned (``expected_version``): a save from an older version raises
``EditConflict`` instead of overwriting somebody else's change.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.actions import record, snapshot
from calendar_events import actions as calendar_actions
from lib.concurrency import EditConflict, save_versioned
from members.models import Body, Membership, Municipality
from search.indexing import schedule
from workspaces import actions as workspace_actions
from workspaces.models import Workspace, WorkspaceMember

from . import access
from .models import JointProject, Milestone, ProjectDecision, ProjectPartner, ProjectStatus

Status = ProjectStatus

# Which status may follow which. Closed, and withdrawn are final; a rejected idea may start again.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.IDEA: (Status.APPLICATION, Status.WITHDRAWN),
    Status.APPLICATION: (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN),
    Status.APPROVED: (Status.RUNNING, Status.WITHDRAWN),
    Status.RUNNING: (Status.PROOF_OF_USE,),
    Status.PROOF_OF_USE: (Status.CLOSED,),
    Status.CLOSED: (),
    Status.REJECTED: (Status.IDEA,),
    Status.WITHDRAWN: (),
}

EDITABLE_FIELDS = ("title", "summary", "goals", "measures", "results", "starts_on", "ends_on")
MANAGED_FIELDS = ("lead_municipality",)
RESERVED_SLUGS = frozenset({"neu"})

# Milestones stand in the calendar from 9 to 10 o'clock on their day (the calendar knows no all-day events).
MILESTONE_HOUR = 9


def _require_office(actor) -> None:
    if actor is not None and not access.can_manage(actor):
        raise PermissionDenied(_("Das verwaltet die Geschäftsführung."))


def _require_editor(actor, project: JointProject) -> None:
    if actor is not None and not access.can_edit(actor, project):
        raise PermissionDenied(_("Das Projekt bearbeiten die Geschäftsführung und das Projektteam."))


def _project_slug(title: str, slug: str = "") -> str:
    base = slugify((slug or title).replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss"))[:70]
    if not base:
        raise ValidationError({"slug": _("Bitte geben Sie einen Titel mit Buchstaben oder Ziffern ein.")})
    if slug:
        if base in RESERVED_SLUGS or JointProject.objects.filter(slug=base).exists():
            raise ValidationError({"slug": _("Dieses Kürzel ist schon vergeben. Bitte wählen Sie ein anderes.")})
        return base
    candidate, n = base, 2
    while candidate in RESERVED_SLUGS or JointProject.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _state(project: JointProject) -> dict:
    return snapshot(project, exclude=("version", "modified", "created"))


# --- Projects ---------------------------------------------------------------------------------


@transaction.atomic
def create_project(
    actor,
    *,
    title: str,
    lead_municipality: Municipality,
    slug: str = "",
    summary: str = "",
    goals: str = "",
    measures: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    status: str = Status.IDEA,
) -> JointProject:
    """Create a project with its own (private) workspace; the creator manages the workspace."""
    _require_office(actor)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Bitte geben Sie einen Titel ein.")})
    workspace = workspace_actions.create_workspace(
        actor,
        name=title[:150],
        kind=Workspace.Kind.PROJECT,
        description=summary,
        visibility=Workspace.Visibility.PRIVATE,
        join_policy=Workspace.JoinPolicy.INVITATION,
    )
    project = JointProject(
        title=title,
        slug=_project_slug(title, slug),
        summary=summary,
        goals=goals,
        measures=measures,
        starts_on=starts_on,
        ends_on=ends_on,
        workspace=workspace,
        lead_municipality=lead_municipality,
        status=status,
    )
    project.full_clean()
    project.save()
    ProjectPartner.objects.create(project=project, municipality=lead_municipality, role=ProjectPartner.Role.LEAD)
    record(actor, "project.created", project, after=_state(project))
    schedule("joint_project", project.pk)
    _office_manages(actor, workspace)
    return project


def _office_manages(actor, workspace: Workspace) -> None:
    """The managing office manages every project workspace, as it manages every body workspace."""
    from accounts.models import User

    seats = Membership.objects.current().filter(
        Q(role=Membership.Role.MANAGING_OFFICE) | Q(body__kind=Body.Kind.MANAGING_OFFICE),
        person__is_active=True,
        person__user__is_active=True,
    )
    present = set(workspace.members.values_list("user_id", flat=True))
    for user in User.objects.filter(pk__in=seats.values("person__user_id")).exclude(pk__in=present).order_by("pk"):
        workspace_actions.add_member(actor, workspace, user, role=WorkspaceMember.Role.MANAGER)


@transaction.atomic
def update_project(actor, project: JointProject, expected_version: int, **fields) -> JointProject:
    """Change content and timeline (team and office); the lead city only the office changes."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - set(MANAGED_FIELDS)
    if unknown:
        raise TypeError(f"Unknown project fields: {sorted(unknown)}")
    if set(fields) & set(MANAGED_FIELDS):
        _require_office(actor)
    else:
        _require_editor(actor, project)
    before = _state(JointProject.objects.get(pk=project.pk))
    old_lead = project.lead_municipality_id
    for name, value in fields.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    if not project.title:
        raise ValidationError({"title": _("Bitte geben Sie einen Titel ein.")})
    project.full_clean(exclude=["workspace"])
    save_versioned(project, expected_version)
    if project.lead_municipality_id != old_lead:
        ProjectPartner.objects.filter(project=project, role=ProjectPartner.Role.LEAD).update(role=ProjectPartner.Role.PARTNER)
        ProjectPartner.objects.update_or_create(
            project=project, municipality_id=project.lead_municipality_id, defaults={"role": ProjectPartner.Role.LEAD}
        )
    record(actor, "project.changed", project, before=before, after=_state(project))
    schedule("joint_project", project.pk)
    return project


def allowed_next(project: JointProject) -> tuple[str, ...]:
    return TRANSITIONS[project.status]


@transaction.atomic
def change_status(actor, project: JointProject, expected_version: int, status: str) -> JointProject:
    """Move the project to its next status; only the transitions in ``TRANSITIONS`` are possible."""
    _require_office(actor)
    if status not in Status.values:
        raise ValidationError({"status": _("Diesen Stand gibt es nicht.")})
    current = JointProject.objects.get(pk=project.pk)
    if current.version != expected_version:
        raise EditConflict
    allowed = TRANSITIONS[current.status]
    if status not in allowed:
        if allowed:
            message = _(
                "Ein Projekt im Stand „%(current)s“ kann nicht in den Stand „%(wanted)s“ wechseln. Möglich ist: %(allowed)s."
            ) % {
                "current": Status(current.status).label,
                "wanted": Status(status).label,
                "allowed": ", ".join(f"„{Status(s).label}“" for s in allowed),
            }
        else:
            message = _("Ein Projekt im Stand „%(current)s“ ist beendet; sein Stand ändert sich nicht mehr.") % {
                "current": Status(current.status).label
            }
        raise ValidationError({"status": message})
    before = {"status": current.status}
    project.status = status
    save_versioned(project, expected_version, ["status"])
    record(actor, "project.status_changed", project, before=before, after={"status": status})
    return project


@transaction.atomic
def release(actor, project: JointProject, expected_version: int) -> JointProject:
    """Put the public project page on the website (the office only)."""
    _require_office(actor)
    if project.released_at is not None:
        raise ValidationError(_("Die Projektseite ist bereits öffentlich."))
    if not project.summary.strip():
        raise ValidationError(_("Bitte ergänzen Sie zuerst eine Kurzbeschreibung; sie steht auf der öffentlichen Seite."))
    if project.status in (Status.REJECTED, Status.WITHDRAWN):
        raise ValidationError(_("Abgelehnte oder zurückgezogene Projekte erhalten keine öffentliche Seite."))
    project.released_at = timezone.now()
    save_versioned(project, expected_version, ["released_at"])
    record(
        actor, "project.released", project, before={"released_at": None}, after={"released_at": project.released_at.isoformat()}
    )
    schedule("joint_project", project.pk)
    return project


@transaction.atomic
def withdraw_release(actor, project: JointProject, expected_version: int) -> JointProject:
    """Take the public project page off the website again."""
    _require_office(actor)
    if project.released_at is None:
        raise ValidationError(_("Die Projektseite ist nicht öffentlich."))
    before = {"released_at": project.released_at.isoformat()}
    project.released_at = None
    save_versioned(project, expected_version, ["released_at"])
    record(actor, "project.release_withdrawn", project, before=before, after={"released_at": None})
    schedule("joint_project", project.pk)
    return project


# --- Partners ---------------------------------------------------------------------------------


def _partner_data(partner: ProjectPartner) -> dict:
    return {
        "municipality": partner.municipality_id,
        "name": str(partner.municipality),
        "role": partner.role,
        "contribution": partner.contribution,
    }


@transaction.atomic
def set_partner(
    actor, project: JointProject, municipality: Municipality, role: str = ProjectPartner.Role.PARTNER, contribution: str = ""
) -> ProjectPartner:
    """Add a partner city or change its role and contribution. The lead city follows the project's lead."""
    _require_office(actor)
    if role == ProjectPartner.Role.LEAD or municipality.pk == project.lead_municipality_id:
        raise ValidationError(
            {"role": _("Die federführende Kommune ändern Sie in den Projektangaben; sie ist immer federführend.")}
        )
    if role not in ProjectPartner.Role.values:
        raise ValidationError({"role": _("Diese Rolle gibt es nicht.")})
    JointProject.objects.select_for_update().filter(pk=project.pk).first()
    partner = ProjectPartner.objects.filter(project=project, municipality=municipality).first()
    before = _partner_data(partner) if partner else None
    if partner is None:
        partner = ProjectPartner(project=project, municipality=municipality)
    partner.role = role
    partner.contribution = contribution.strip()
    partner.full_clean(exclude=["project", "municipality"])
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError:
        raise ValidationError(_("%(city)s ist bereits Partnerin des Projekts.") % {"city": municipality}) from None
    record(actor, "project.partner.set", project, before=before, after=_partner_data(partner))
    return partner


@transaction.atomic
def remove_partner(actor, partner: ProjectPartner) -> None:
    _require_office(actor)
    if partner.role == ProjectPartner.Role.LEAD:
        raise ValidationError(_("Die federführende Kommune bleibt im Projekt; ändern Sie sie in den Projektangaben."))
    record(actor, "project.partner.removed", partner.project, before=_partner_data(partner))
    partner.delete()


# --- Milestones -------------------------------------------------------------------------------


def _milestone_data(milestone: Milestone) -> dict:
    return {
        "milestone": milestone.pk,
        "title": milestone.title,
        "due_on": milestone.due_on.isoformat(),
        "done_on": milestone.done_on.isoformat() if milestone.done_on else None,
    }


def _event_times(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(MILESTONE_HOUR)))
    return start, start + dt.timedelta(hours=1)


@transaction.atomic
def add_milestone(actor, project: JointProject, *, title: str, due_on: dt.date) -> Milestone:
    """A dated milestone; unless the workspace is archived it also goes into the workspace's calendar."""
    _require_editor(actor, project)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Bitte benennen Sie den Meilenstein.")})
    milestone = Milestone(project=project, title=title, due_on=due_on)
    milestone.full_clean(exclude=["project", "event"])
    if not project.workspace.is_archived:
        starts_at, ends_at = _event_times(due_on)
        # The system writes the event: the office manages every project without a seat in its workspace.
        milestone.event = calendar_actions.create_event(
            None,
            project.workspace,
            title=_("Meilenstein: %(title)s") % {"title": title},
            description=_("Meilenstein des Gemeinschaftsprojekts „%(project)s“.") % {"project": project.title},
            location=_("Projekt „%(project)s“") % {"project": project.title[:250]},
            starts_at=starts_at,
            ends_at=ends_at,
        )
    milestone.save()
    record(actor, "project.milestone.added", project, after=_milestone_data(milestone))
    return milestone


@transaction.atomic
def mark_milestone_done(actor, milestone: Milestone, done_on: dt.date | None = None) -> Milestone:
    _require_editor(actor, milestone.project)
    if milestone.done_on is not None:
        raise ValidationError(_("Dieser Meilenstein ist bereits erreicht."))
    before = _milestone_data(milestone)
    milestone.done_on = done_on or timezone.localdate()
    milestone.save(update_fields=["done_on", "modified"])
    record(actor, "project.milestone.done", milestone.project, before=before, after=_milestone_data(milestone))
    return milestone


@transaction.atomic
def delete_milestone(actor, milestone: Milestone) -> None:
    _require_editor(actor, milestone.project)
    record(actor, "project.milestone.deleted", milestone.project, before=_milestone_data(milestone))
    event = milestone.event
    milestone.delete()
    if event is not None and not event.workspace.is_archived:
        calendar_actions.delete_event(None, event)


# --- Decisions --------------------------------------------------------------------------------


@transaction.atomic
def link_decision(actor, project: JointProject, decision, effect: str = ProjectDecision.Effect.STARTED) -> ProjectDecision:
    """Record that a decision of the register started, changed or concluded the project."""
    _require_office(actor)
    if effect not in ProjectDecision.Effect.values:
        raise ValidationError({"effect": _("Diese Bedeutung gibt es nicht.")})
    if ProjectDecision.objects.filter(project=project, decision=decision).exists():
        raise ValidationError({"decision": _("Dieser Beschluss ist mit dem Projekt bereits verknüpft.")})
    link = ProjectDecision.objects.create(
        project=project, decision=decision, effect=effect, linked_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    record(
        actor, "project.decision.linked", project, after={"decision": decision.pk, "effect": effect, "text": decision.text[:200]}
    )
    return link


@transaction.atomic
def unlink_decision(actor, link: ProjectDecision) -> None:
    _require_office(actor)
    record(
        actor,
        "project.decision.unlinked",
        link.project,
        before={"decision": link.decision_id, "effect": link.effect, "text": link.decision.text[:200]},
    )
    link.delete()
