"""Workspace pages: the list, a workspace with its panels, editing, members and requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required, member_required
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_messages
from members.access import visibility_levels_for
from members.models import Membership

from . import actions
from .access import (
    can_join_directly,
    can_manage,
    can_request,
    can_view,
    get_workspace_for_user,
    is_platform_admin,
    role_of,
    with_viewer_role,
    workspaces_findable_by,
)
from .forms import AddMemberForm, ArchiveForm, DecisionForm, JoinRequestForm, RoleForm, WorkspaceForm
from .models import ROLE_RANK, JoinRequest, Workspace, WorkspaceMember

GROUP_HEADINGS = {
    WorkspaceMember.Role.MANAGER: _lazy("Leitung"),
    WorkspaceMember.Role.EDITOR: _lazy("Bearbeitung"),
    WorkspaceMember.Role.READER: _lazy("Lesezugriff"),
    WorkspaceMember.Role.GUEST: _lazy("Externe Gäste"),
}
# The workspace page is a column of panels; later features (activity, dates, tasks, documents) add theirs here.
PANELS = [
    "workspaces/panels/about.html",
    "news/panel_activity.html",
    "calendar_events/panel_upcoming.html",
    "tasks/panel_open.html",
    "meetings/panel.html",
    "documents/panel.html",
    "workspaces/panels/members.html",
]


@login_required
def workspace_list(request):
    user = request.user
    workspaces = (
        with_viewer_role(workspaces_findable_by(user), user)
        .select_related("body")
        .annotate(member_count=Count("members"))
        .order_by("is_archived", "name")
    )
    own_ids = WorkspaceMember.objects.filter(user=user).values("workspace_id")
    mine = workspaces.filter(pk__in=own_ids)
    others = workspaces.exclude(pk__in=own_ids).filter(is_archived=False)
    requested = set(
        JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).values_list("workspace_id", flat=True)
    )
    return render(request, "workspaces/list.html", {"mine": mine, "others": others, "requested": requested})


@member_required
@require_http_methods(["GET", "POST"])
def workspace_create(request):
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            workspace = actions.create_workspace(request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Der Arbeitsbereich „%(name)s“ wurde angelegt.") % {"name": workspace.name})
            return redirect(workspace)
    return render(request, "workspaces/form.html", {"form": form, "creating": True})


def _member_groups(request, workspace: Workspace) -> tuple[list[tuple[str, list]], int]:
    """Members by role. Outside viewers see only people whose profile is visible to them."""
    user = request.user
    insider = role_of(user, workspace) is not None or is_platform_admin(user)
    levels = visibility_levels_for(user)
    members = workspace.members.select_related("user__person__municipality", "user__person__organisation").order_by(
        "user__person__family_name", "user__person__given_name", "user__email"
    )
    groups: dict[str, list] = {role: [] for role in ROLE_RANK}
    hidden = 0
    for member in members:
        person = getattr(member.user, "person", None)
        profile_visible = person is not None and person.is_active and person.profile_visibility in levels
        if not (insider or profile_visible):
            hidden += 1
            continue
        member.person = person
        member.profile_link = profile_visible or (person is not None and person.user_id == user.pk)
        groups[member.role].append(member)
    return [(GROUP_HEADINGS[role], groups[role]) for role in ROLE_RANK if groups[role]], hidden


def workspace_detail(request, slug: str):
    try:
        workspace = get_workspace_for_user(request.user, slug)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    user = request.user
    pending = user.is_authenticated and workspace.join_requests.filter(user=user, status=JoinRequest.Status.PENDING).exists()
    context = {
        "workspace": workspace,
        "role": role_of(user, workspace),
        "can_view": can_view(user, workspace),
        "can_manage": can_manage(user, workspace),
        "can_join": can_join_directly(user, workspace),
        "can_request": can_request(user, workspace) and not pending,
        "pending_request": pending,
        "request_form": JoinRequestForm(),
    }
    if not context["can_view"]:
        return render(request, "workspaces/detail_closed.html", context)
    own = workspace.members.filter(user=user).first() if context["role"] else None
    context["own_membership"] = own
    context["groups"], context["hidden_members"] = _member_groups(request, workspace)
    if context["can_manage"]:
        context["open_requests"] = workspace.join_requests.filter(status=JoinRequest.Status.PENDING).count()
    context["panels"] = PANELS
    return render(request, "workspaces/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def workspace_edit(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug, manage=True)
    form = WorkspaceForm(request.POST or None, instance=workspace, initial={"version": workspace.version})
    if request.method == "POST":

        def write(data):
            data = dict(data)
            actions.update_workspace(request.user, workspace, data.pop("version", None) or 0, **data)

        if apply_edit(form, write):
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            return redirect(workspace)
        fresh = get_workspace_for_user(request.user, slug, manage=True)
        return render(
            request, "workspaces/form.html", {"form": form, "workspace": fresh, "creating": False}, status=failed_status(form)
        )
    return render(request, "workspaces/form.html", {"form": form, "workspace": workspace, "creating": False})


@login_required
@require_POST
def workspace_archive(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug, manage=True)
    form = ArchiveForm(request.POST)
    archived = form.is_valid() and form.cleaned_data["archived"]
    try:
        actions.archive(request.user, workspace, archived=archived)
    except ValidationError as exc:
        add_to_messages(request, exc)
    else:
        if archived:
            messages.success(
                request, _("Der Arbeitsbereich wurde archiviert. Er bleibt lesbar, aber niemand kann mehr beitreten.")
            )
        else:
            messages.success(request, _("Der Arbeitsbereich ist wieder aktiv."))
    return redirect(workspace)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _change_member(request, member: WorkspaceMember, op: str) -> None:
    try:
        if op == "remove":
            actions.remove_member(request.user, member)
            messages.success(request, _("%(name)s wurde entfernt.") % {"name": member.user})
            return
        form = RoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Bitte wählen Sie eine gültige Rolle."))
            return
        if form.cleaned_data["role"] != member.role:
            actions.change_role(request.user, member, form.cleaned_data["role"])
            messages.success(request, _("Die Rolle von %(name)s wurde geändert.") % {"name": member.user})
    except ValidationError as exc:
        add_to_messages(request, exc)


def _back_after_member_change(request, workspace: Workspace):
    """Back to the members page, unless the manager just gave up the lead or left."""
    fresh = with_viewer_role(Workspace.objects.filter(pk=workspace.pk), request.user).get()
    if can_manage(request.user, fresh):
        return redirect("workspaces:members", slug=workspace.slug)
    if can_view(request.user, fresh):
        return redirect(workspace)
    return redirect("workspaces:list")


def _suggest_roles(join_requests: list[JoinRequest]) -> None:
    """Preselect editor for people with a seat in a body, external guest for everybody else (one query)."""
    seated = set(
        Membership.objects.current()
        .filter(person__user__in=[r.user_id for r in join_requests], person__is_active=True)
        .exclude(role=Membership.Role.GUEST)
        .values_list("person__user_id", flat=True)
    )
    for r in join_requests:
        r.default_role = WorkspaceMember.Role.EDITOR if r.user_id in seated or r.user.is_superuser else WorkspaceMember.Role.GUEST


@login_required
@require_http_methods(["GET", "POST"])
def workspace_members(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug, manage=True)
    add_form = AddMemberForm(workspace=workspace)
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "add":
            add_form = AddMemberForm(request.POST, workspace=workspace)
            if add_form.is_valid():
                person = add_form.cleaned_data["person"]
                try:
                    actions.add_member(request.user, workspace, person.user, add_form.cleaned_data["role"])
                except ValidationError as exc:
                    add_form.add_error(None, exc)
                else:
                    messages.success(request, _("%(name)s wurde aufgenommen.") % {"name": person.full_name})
                    return redirect("workspaces:members", slug=workspace.slug)
        elif op in {"role", "remove"}:
            member = get_object_or_404(workspace.members.select_related("user__person"), pk=_int(request.POST.get("member")))
            _change_member(request, member, op)
            return _back_after_member_change(request, workspace)
        else:
            raise Http404
    members = workspace.members.select_related("user__person__municipality", "user__person__organisation").order_by(
        "role", "user__person__family_name", "user__person__given_name", "user__email"
    )
    requests = list(
        workspace.join_requests.filter(status=JoinRequest.Status.PENDING).select_related(
            "user__person__municipality", "user__person__organisation"
        )
    )
    _suggest_roles(requests)
    return render(
        request,
        "workspaces/members.html",
        {
            "workspace": workspace,
            "members": members,
            "add_form": add_form,
            "join_requests": requests,
            "roles": WorkspaceMember.Role.choices,
        },
    )


@login_required
@require_POST
def join_request_decide(request, slug: str, pk: int):
    workspace = get_workspace_for_user(request.user, slug, manage=True)
    join_request = get_object_or_404(
        workspace.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user__person"), pk=pk
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte entscheiden Sie mit „annehmen“ oder „ablehnen“."))
        return redirect("workspaces:members", slug=workspace.slug)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        actions.decide_request(request.user, join_request, approve=approve, role=form.cleaned_data["role"] or None)
    except ValidationError as exc:
        add_to_messages(request, exc)
    else:
        name = join_request.user
        if approve:
            messages.success(request, _("%(name)s wurde aufgenommen.") % {"name": name})
        else:
            messages.success(request, _("Die Anfrage von %(name)s wurde abgelehnt.") % {"name": name})
    return redirect("workspaces:members", slug=workspace.slug)


@login_required
@require_POST
def workspace_join(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        for error in form.errors["message"]:
            messages.error(request, error)
        return redirect(workspace)
    try:
        result = actions.join(request.user, workspace, form.cleaned_data["message"])
    except ValidationError as exc:
        add_to_messages(request, exc)
    else:
        if isinstance(result, JoinRequest):
            messages.success(request, _("Ihre Anfrage wurde an die Leitung geschickt."))
        else:
            messages.success(request, _("Willkommen! Sie arbeiten jetzt in „%(name)s“ mit.") % {"name": workspace.name})
    return redirect(workspace)


@login_required
@require_POST
def workspace_leave(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug)
    try:
        actions.leave(request.user, workspace)
    except ValidationError as exc:
        add_to_messages(request, exc)
        return redirect(workspace)
    messages.success(request, _("Sie haben den Arbeitsbereich „%(name)s“ verlassen.") % {"name": workspace.name})
    return redirect("workspaces:list")
