"""Everything that changes workspaces goes through here: views, commands, the demo and tests alike.

Each action validates, writes atomically and records the change in the audit log. Member
changes are recorded against the workspace, so its log tells who joined, left or changed role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.roles import is_member
from audit.actions import record, snapshot
from lib.concurrency import save_versioned
from members.models import Body, Membership
from search.indexing import refresh_public, schedule, schedule_workspace_content

from . import access
from .models import ROLE_RANK, JoinRequest, Workspace, WorkspaceMember

Role = WorkspaceMember.Role
Source = WorkspaceMember.Source

# Paths under /arbeitsbereiche/ that a workspace slug must not shadow.
RESERVED_SLUGS = frozenset({"neu"})

BODY_ROLE_TO_WORKSPACE_ROLE = {
    Membership.Role.SPEAKER: Role.MANAGER,
    Membership.Role.DEPUTY_SPEAKER: Role.MANAGER,
    Membership.Role.MANAGING_OFFICE: Role.MANAGER,
    Membership.Role.MEMBER: Role.EDITOR,
    Membership.Role.DEPUTY_MEMBER: Role.EDITOR,
    Membership.Role.GUEST: Role.GUEST,
}


def _unique_slug(base: str) -> str:
    base = slugify(base.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss"))[:70] or "arbeitsbereich"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _member_data(member: WorkspaceMember) -> dict:
    return {"user": member.user_id, "name": str(member.user), "role": member.role, "source": member.source}


def _lock(workspace: Workspace) -> Workspace:
    """Lock the workspace row: every change to its members and requests takes this lock first,
    so two demotions cannot both pass the last-manager check."""
    return Workspace.objects.select_for_update().get(pk=workspace.pk)


def _fresh(member: WorkspaceMember) -> WorkspaceMember:
    """The member row as it is now, read under the workspace lock."""
    return WorkspaceMember.objects.select_related("user__person").get(pk=member.pk)


def _keep_a_manager(workspace: Workspace, member: WorkspaceMember, new_role: str | None = None) -> None:
    if member.role != Role.MANAGER or new_role == Role.MANAGER:
        return
    if not workspace.members.filter(role=Role.MANAGER).exclude(pk=member.pk).exists():
        raise ValidationError(
            _(
                "Ein Arbeitsbereich braucht mindestens eine Person mit Leitung. "
                "Bitte übertragen Sie die Leitung zuerst an jemand anderen."
            )
        )


def _refuse_body_seat(workspace: Workspace, member: WorkspaceMember) -> None:
    if member.source == Source.BODY:
        raise ValidationError(
            _("Diese Mitgliedschaft ergibt sich aus dem Gremium „%(body)s“ und ändert sich nur mit dessen Besetzung.")
            % {"body": workspace.body or workspace.name}
        )


# --- Workspaces -------------------------------------------------------------------------------


@transaction.atomic
def create_workspace(
    actor,
    *,
    name: str,
    kind: str = Workspace.Kind.PROJECT,
    description: str = "",
    visibility: str = Workspace.Visibility.PRIVATE,
    join_policy: str = Workspace.JoinPolicy.INVITATION,
    body: Body | None = None,
) -> Workspace:
    """Create a workspace; whoever creates it manages it. Body workspaces come from ensure_body_workspaces."""
    creator = actor if getattr(actor, "is_authenticated", False) else None
    workspace = Workspace(
        name=name,
        slug=_unique_slug(body.slug if body else name),
        kind=kind,
        description=description,
        visibility=visibility,
        join_policy=join_policy,
        body=body,
        created_by=creator,
    )
    workspace.full_clean()
    workspace.save()
    record(actor, "workspace.created", workspace, after=snapshot(workspace))
    if creator is not None and body is None:
        member = WorkspaceMember.objects.create(workspace=workspace, user=creator, role=Role.MANAGER)
        record(actor, "workspace.member.added", workspace, after=_member_data(member))
    return workspace


def _change_action(before: dict, after: dict) -> str:
    """Making a workspace public is a publication; visibility and join rules are permissions."""
    if after["visibility"] != before["visibility"] and after["visibility"] == Workspace.Visibility.PUBLIC:
        return "workspace.published"
    if after["visibility"] != before["visibility"] or after["join_policy"] != before["join_policy"]:
        return "workspace.access_changed"
    return "workspace.changed"


@transaction.atomic
def update_workspace(actor, workspace: Workspace, expected_version: int, **fields) -> Workspace:
    """Change name, description, kind or access rules; refused if somebody saved in between."""
    before = snapshot(Workspace.objects.get(pk=workspace.pk))
    for name, value in fields.items():
        setattr(workspace, name, value)
    workspace.full_clean()
    save_versioned(workspace, expected_version)
    after = snapshot(workspace)
    record(actor, _change_action(before, after), workspace, before=before, after=after)
    schedule("workspace", workspace.pk)  # save_versioned writes with UPDATE, so no post_save reaches the search
    if after["visibility"] != before["visibility"]:
        refresh_public(workspace.pk)  # found without an account, or no longer
        schedule_workspace_content(workspace.pk)  # comments and tasks are found by other people now
    return workspace


@transaction.atomic
def archive(actor, workspace: Workspace, *, archived: bool = True) -> Workspace:
    """Archive (read-only, nobody can join) or restore. Bumps the version so open edit forms conflict."""
    changed = Workspace.objects.filter(pk=workspace.pk, is_archived=not archived).update(
        is_archived=archived, version=F("version") + 1, modified=timezone.now()
    )
    if not changed:
        raise ValidationError(
            _("Dieser Arbeitsbereich ist bereits archiviert.") if archived else _("Dieser Arbeitsbereich ist nicht archiviert.")
        )
    workspace.refresh_from_db(fields=["is_archived", "version", "modified"])
    schedule("workspace", workspace.pk)  # a private workspace that takes requests is found by members until archived
    record(
        actor,
        "workspace.archived" if archived else "workspace.restored",
        workspace,
        before={"is_archived": not archived},
        after={"is_archived": archived},
    )
    return workspace


# --- Members ----------------------------------------------------------------------------------


@transaction.atomic
def add_member(actor, workspace: Workspace, user, role: str = Role.EDITOR) -> WorkspaceMember:
    workspace = _lock(workspace)
    if workspace.members.filter(user=user).exists():
        raise ValidationError(_("%(name)s gehört bereits zu diesem Arbeitsbereich.") % {"name": user})
    member = WorkspaceMember(workspace=workspace, user=user, role=role, source=Source.MANUAL)
    member.full_clean(exclude=["workspace", "user"])
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError(_("%(name)s gehört bereits zu diesem Arbeitsbereich.") % {"name": user}) from None
    record(actor, "workspace.member.added", workspace, after=_member_data(member))
    return member


@transaction.atomic
def change_role(actor, member: WorkspaceMember, role: str) -> WorkspaceMember:
    workspace = _lock(member.workspace)
    member = _fresh(member)
    _refuse_body_seat(workspace, member)
    if role == member.role:
        return member
    _keep_a_manager(workspace, member, role)
    before = _member_data(member)
    member.role = role
    member.full_clean(exclude=["workspace", "user"])
    member.save(update_fields=["role", "modified"])
    record(actor, "workspace.member.role_changed", workspace, before=before, after=_member_data(member))
    return member


@transaction.atomic
def remove_member(actor, member: WorkspaceMember) -> None:
    workspace = _lock(member.workspace)
    member = _fresh(member)
    _refuse_body_seat(workspace, member)
    _keep_a_manager(workspace, member)
    record(actor, "workspace.member.removed", workspace, before=_member_data(member))
    member.delete()


@transaction.atomic
def join(actor, workspace: Workspace, message: str = "") -> WorkspaceMember | JoinRequest:
    """Join an open workspace (as editor) or ask to join one that takes requests."""
    workspace = _lock(workspace)
    if workspace.is_archived:
        raise ValidationError(_("Dieser Arbeitsbereich ist archiviert; ein Beitritt ist nicht mehr möglich."))
    if workspace.members.filter(user=actor).exists():
        raise ValidationError(_("Sie gehören bereits zu diesem Arbeitsbereich."))
    if workspace.join_policy == Workspace.JoinPolicy.OPEN:
        if not access.can_join_directly(actor, workspace):
            raise ValidationError(
                _("Offenen Arbeitsbereichen treten Mitglieder der Gremien bei. Externe Gäste lädt die Leitung ein.")
            )
        member = WorkspaceMember.objects.create(workspace=workspace, user=actor, role=Role.EDITOR)
        record(actor, "workspace.member.joined", workspace, after=_member_data(member))
        return member
    if workspace.join_policy == Workspace.JoinPolicy.REQUEST:
        if not access.can_request(actor, workspace):
            raise ValidationError(_("Sie können für diesen Arbeitsbereich keine Anfrage stellen."))
        if workspace.join_requests.filter(user=actor, status=JoinRequest.Status.PENDING).exists():
            raise ValidationError(_("Ihre Anfrage liegt der Leitung bereits vor."))
        join_request = JoinRequest(workspace=workspace, user=actor, message=message.strip())
        join_request.full_clean(exclude=["workspace", "user"])
        join_request.save()
        record(
            actor,
            "workspace.request.created",
            workspace,
            after={"request": join_request.pk, "user": actor.pk, "message": join_request.message},
        )
        return join_request
    raise ValidationError(_("Diesem Arbeitsbereich tritt man nur auf Einladung bei. Bitte wenden Sie sich an die Leitung."))


@transaction.atomic
def leave(actor, workspace: Workspace) -> None:
    workspace = _lock(workspace)
    member = workspace.members.select_related("user__person").filter(user=actor).first()
    if member is None:
        raise ValidationError(_("Sie gehören nicht zu diesem Arbeitsbereich."))
    _refuse_body_seat(workspace, member)
    _keep_a_manager(workspace, member)
    record(actor, "workspace.member.left", workspace, before=_member_data(member))
    member.delete()


def default_role_for(user) -> str:
    """Seat holders work along; people without a seat come in as external guests."""
    return Role.EDITOR if is_member(user) else Role.GUEST


@transaction.atomic
def decide_request(actor, join_request: JoinRequest, *, approve: bool, role: str | None = None) -> JoinRequest:
    workspace = _lock(join_request.workspace)
    join_request = JoinRequest.objects.select_related("user__person").get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("Über diese Anfrage wurde bereits entschieden."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "modified"])
    after = {"request": join_request.pk, "user": join_request.user_id, "name": str(join_request.user)}
    if approve:
        role = role or default_role_for(join_request.user)
        if not workspace.members.filter(user_id=join_request.user_id).exists():
            member = WorkspaceMember(workspace=workspace, user=join_request.user, role=role)
            member.full_clean(exclude=["workspace", "user"])
            member.save()
            record(actor, "workspace.member.added", workspace, after=_member_data(member))
        after["role"] = role
    record(actor, f"workspace.request.{join_request.status}", workspace, after=after)
    return join_request


# --- Body workspaces follow the bodies' memberships -------------------------------------------


@dataclass
class SyncResult:
    created_workspaces: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0

    def __iadd__(self, other: SyncResult) -> SyncResult:
        self.created_workspaces += other.created_workspaces
        self.added += other.added
        self.changed += other.changed
        self.removed += other.removed
        return self


def _seated(memberships):
    """Current seats of active people with an active account: only they can be workspace members."""
    return memberships.current().filter(person__is_active=True, person__user__isnull=False, person__user__is_active=True)


def _office_seats():
    return Membership.objects.filter(Q(role=Membership.Role.MANAGING_OFFICE) | Q(body__kind=Body.Kind.MANAGING_OFFICE))


def _office_user_ids() -> set[int]:
    return set(_seated(_office_seats()).values_list("person__user_id", flat=True))


def _stronger(a: str | None, b: str) -> str:
    return b if a is None else min(a, b, key=ROLE_RANK.index)


def _desired_members(body: Body, office_user_ids: set[int]) -> dict[int, str]:
    desired: dict[int, str] = {}
    for user_id, seat_role in _seated(Membership.objects.filter(body=body)).values_list("person__user_id", "role"):
        desired[user_id] = _stronger(desired.get(user_id), BODY_ROLE_TO_WORKSPACE_ROLE[seat_role])
    for user_id in office_user_ids:
        desired[user_id] = Role.MANAGER
    return desired


@transaction.atomic
def sync_body_workspace(body: Body, *, office_user_ids: set[int] | None = None) -> SyncResult:
    """Bring the body's workspace in line with its current seats; rows added by hand stay as they are.

    Speakers and their deputies manage, members and deputy members edit, guests are external guests,
    and the managing office manages every body workspace.
    """
    from accounts.models import User

    result = SyncResult()
    workspace = Workspace.objects.select_for_update().filter(body=body).first()
    if workspace is None:
        return result
    desired = _desired_members(body, _office_user_ids() if office_user_ids is None else office_user_ids)
    existing = {member.user_id: member for member in workspace.members.select_related("user__person")}
    for user_id, member in existing.items():
        if member.source != Source.BODY:
            continue
        role = desired.get(user_id)
        if role is None:
            record(None, "workspace.member.removed", workspace, before=_member_data(member))
            member.delete()
            result.removed += 1
        elif role != member.role:
            before = _member_data(member)
            member.role = role
            member.save(update_fields=["role", "modified"])
            record(None, "workspace.member.role_changed", workspace, before=before, after=_member_data(member))
            result.changed += 1
    new_ids = [user_id for user_id in desired if user_id not in existing]
    users = User.objects.select_related("person").in_bulk(new_ids)
    new = [WorkspaceMember(workspace=workspace, user=users[i], role=desired[i], source=Source.BODY) for i in new_ids]
    WorkspaceMember.objects.bulk_create(new)
    for member in new:
        record(None, "workspace.member.added", workspace, after=_member_data(member))
    result.added = len(new)
    return result


@transaction.atomic
def ensure_body_workspaces(bodies=None) -> SyncResult:
    """Give every body (or the given ones) its workspace, visible to all platform members, and sync it."""
    bodies = Body.objects.all() if bodies is None else bodies
    result = SyncResult()
    for body in bodies.filter(workspace__isnull=True):
        create_workspace(
            None,
            name=body.name,
            kind=Workspace.Kind.BODY,
            body=body,
            description=body.purpose,
            visibility=Workspace.Visibility.PLATFORM,
            join_policy=Workspace.JoinPolicy.INVITATION,
        )
        result.created_workspaces += 1
    office_user_ids = _office_user_ids()
    for body in bodies.order_by("pk"):
        result += sync_body_workspace(body, office_user_ids=office_user_ids)
    return result


def sync_for_person(person_id: int) -> SyncResult:
    """After someone's seats or account changed: update the body workspaces that concern them.

    Called on commit by members.actions and accounts.actions. A seat in the managing office
    concerns every body workspace.
    """
    seats = Membership.objects.filter(person_id=person_id)
    if seats.filter(Q(role=Membership.Role.MANAGING_OFFICE) | Q(body__kind=Body.Kind.MANAGING_OFFICE)).exists():
        return ensure_body_workspaces()
    return ensure_body_workspaces(Body.objects.filter(pk__in=seats.values("body_id")))
