"""Pages of the joint projects: the internal list and project page with its forms, and the public pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from documents.access import public_documents
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form
from members.access import person_visible_to
from workspaces.models import WorkspaceMember

from . import access, actions
from .forms import DecisionLinkForm, MilestoneForm, PartnerForm, ProjectCreateForm, ProjectEditForm, ReleaseForm, StatusForm
from .models import JointProject, ProjectStatus
from .panels import panels_for


@login_required
def project_list(request):
    projects = (
        access.projects_visible_to(request.user)
        .select_related("lead_municipality")
        .prefetch_related("partners__municipality")
        .order_by("title")
    )
    return render(
        request,
        "projects/list.html",
        {"projects": projects, "can_manage": access.can_manage(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    if not access.can_manage(request.user):
        raise Http404
    form = ProjectCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = actions.create_project(request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Das Projekt „%(title)s“ ist angelegt, mit einem eigenen Arbeitsbereich.") % {"title": project.title},
            )
            return redirect(project)
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/create.html", {"form": form}, status=status)


def _public_downloads(project: JointProject):
    return public_documents().filter(workspace=project.workspace).select_related("current").order_by("title")


def _team(viewer, project: JointProject) -> list[dict]:
    """The project team as the viewer may see it: names only of people whose profile the viewer may see."""
    rows = []
    members = WorkspaceMember.objects.filter(workspace=project.workspace).select_related("user__person__municipality")
    for member in members.order_by("role", "user__person__family_name"):
        person = getattr(member.user, "person", None)
        city = person.municipality.short_name if person is not None and person.municipality else ""
        name = str(person) if person is not None and person_visible_to(viewer, person) else ""
        rows.append({"name": name, "city": city, "role": member.get_role_display()})
    return rows


def _detail(request, project: JointProject, *, status: int = 200, **forms):
    user = request.user
    can_edit = access.can_edit(user, project)
    can_manage = access.can_manage(user, project)
    allowed = actions.allowed_next(project)
    context = {
        "project": project,
        "partners": project.partners.select_related("municipality").order_by("role", "municipality__name"),
        "milestones": project.milestones.select_related("event"),
        "decision_links": project.decision_links.select_related("decision__agenda_item__meeting__body"),
        "team": _team(user, project),
        "downloads": _public_downloads(project),
        "can_edit": can_edit,
        "can_manage": can_manage,
        "panels": panels_for(request, project),
    }
    if can_edit:
        context["milestone_form"] = forms.get("milestone_form") or MilestoneForm(prefix="meilenstein")
    if can_manage:
        context["status_form"] = forms.get("status_form") or (
            StatusForm(initial={"version": project.version}, allowed=allowed, prefix="stand") if allowed else None
        )
        context["release_form"] = forms.get("release_form") or ReleaseForm(
            initial={"version": project.version}, prefix="freigabe"
        )
        context["partner_form"] = forms.get("partner_form") or PartnerForm(project=project, prefix="partner")
        context["decision_form"] = forms.get("decision_form") or DecisionLinkForm(project=project, prefix="beschluss")
    context["form_errors"] = [form for form in forms.values() if form is not None and form.errors]
    return render(request, "projects/detail.html", context, status=status)


@login_required
def project_detail(request, slug: str):
    return _detail(request, access.get_project_for_user(request.user, slug))


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, slug: str):
    project = access.get_project_for_user(request.user, slug, write=True)
    manage = access.can_manage(request.user, project)
    initial = {name: getattr(project, name) for name in actions.EDITABLE_FIELDS}
    initial.update(version=project.version, lead_municipality=project.lead_municipality_id)
    form = ProjectEditForm(request.POST or None, initial=initial, manage=manage)
    if request.method == "POST":

        def write(data):
            data = dict(data)
            actions.update_project(request.user, project, data.pop("version"), **data)

        if apply_edit(form, write):
            messages.success(request, _("Die Projektangaben sind gespeichert."))
            return redirect(project)
        return render(request, "projects/edit.html", {"project": project, "form": form}, status=failed_status(form))
    return render(request, "projects/edit.html", {"project": project, "form": form})


@login_required
@require_POST
def project_status(request, slug: str):
    project = access.get_project_for_user(request.user, slug, manage=True)
    form = StatusForm(request.POST, prefix="stand")
    if apply_edit(form, lambda data: actions.change_status(request.user, project, data["version"], data["status"])):
        messages.success(request, _("Das Projekt steht jetzt auf „%(status)s“.") % {"status": project.get_status_display()})
        return redirect(project)
    fresh = access.get_project_for_user(request.user, slug, manage=True)
    return _detail(request, fresh, status=failed_status(form), status_form=form)


@login_required
@require_POST
def project_release(request, slug: str):
    project = access.get_project_for_user(request.user, slug, manage=True)
    form = ReleaseForm(request.POST, prefix="freigabe")
    wanted = request.POST.get("op")

    def write(data):
        if wanted == "release":
            actions.release(request.user, project, data["version"])
        else:
            actions.withdraw_release(request.user, project, data["version"])

    if apply_edit(form, write):
        if project.is_released:
            messages.success(request, _("Die Projektseite ist jetzt öffentlich."))
        else:
            messages.success(request, _("Die Projektseite ist nicht mehr öffentlich."))
        return redirect(project)
    fresh = access.get_project_for_user(request.user, slug, manage=True)
    return _detail(request, fresh, status=failed_status(form), release_form=form)


def _simple_post(request, project, form, key: str, write, success: str):
    """A POST whose action is not versioned: validate, write, show the errors on the project page."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, success)
            return redirect(project)
    return _detail(request, project, status=400, **{key: form})


@login_required
@require_POST
def partner_set(request, slug: str):
    project = access.get_project_for_user(request.user, slug, manage=True)
    form = PartnerForm(request.POST, project=project, prefix="partner")
    return _simple_post(
        request,
        project,
        form,
        "partner_form",
        lambda data: actions.set_partner(request.user, project, data["municipality"], data["role"], data["contribution"]),
        _("Die Partnerkommune ist gespeichert."),
    )


@login_required
@require_POST
def partner_remove(request, slug: str, pk: int):
    partner = access.get_partner_for_user(request.user, slug, pk)
    try:
        actions.remove_partner(request.user, partner)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(city)s ist nicht mehr Partnerin des Projekts.") % {"city": partner.municipality})
    return redirect(partner.project)


@login_required
@require_POST
def milestone_add(request, slug: str):
    project = access.get_project_for_user(request.user, slug, write=True)
    form = MilestoneForm(request.POST, prefix="meilenstein")
    return _simple_post(
        request,
        project,
        form,
        "milestone_form",
        lambda data: actions.add_milestone(request.user, project, **data),
        _("Der Meilenstein ist eingetragen und steht im Kalender des Arbeitsbereichs."),
    )


@login_required
@require_POST
def milestone_done(request, slug: str, pk: int):
    milestone = access.get_milestone_for_user(request.user, slug, pk, write=True)
    try:
        actions.mark_milestone_done(request.user, milestone)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Der Meilenstein ist als erreicht markiert."))
    return redirect(milestone.project)


@login_required
@require_POST
def milestone_delete(request, slug: str, pk: int):
    milestone = access.get_milestone_for_user(request.user, slug, pk, write=True)
    try:
        actions.delete_milestone(request.user, milestone)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Der Meilenstein ist gelöscht."))
    return redirect(milestone.project)


@login_required
@require_POST
def decision_link(request, slug: str):
    project = access.get_project_for_user(request.user, slug, manage=True)
    form = DecisionLinkForm(request.POST, prefix="beschluss")
    return _simple_post(
        request,
        project,
        form,
        "decision_form",
        lambda data: actions.link_decision(request.user, project, data["decision"], data["effect"]),
        _("Der Beschluss ist mit dem Projekt verknüpft."),
    )


@login_required
@require_POST
def decision_unlink(request, slug: str, pk: int):
    link = access.get_decision_link_for_user(request.user, slug, pk)
    actions.unlink_decision(request.user, link)
    messages.success(request, _("Die Verknüpfung mit dem Beschluss ist entfernt."))
    return redirect(link.project)


# --- Public website -----------------------------------------------------------------------------


def public_list(request):
    projects = access.public_projects().select_related("lead_municipality").prefetch_related("partners__municipality")
    running = [p for p in projects if p.status != ProjectStatus.CLOSED]
    closed = [p for p in projects if p.status == ProjectStatus.CLOSED]
    return render(request, "projects/public_list.html", {"running": running, "closed": closed})


def public_detail(request, slug: str):
    project = access.get_public_project(slug)
    return render(
        request,
        "projects/public_detail.html",
        {
            "project": project,
            "partners": project.partners.select_related("municipality").order_by("role", "municipality__name"),
            "milestones": project.milestones.all(),
            "downloads": _public_downloads(project),
        },
    )
