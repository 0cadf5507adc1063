"""Paper pages (Vorlagen): list with filters, detail, create, edit, delete, the consultation sequence and files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import office_required
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form
from lib.pagination import paginate
from meetings import access
from meetings.core.actions import soft_delete
from meetings.forms import ConsultationForm, PaperFileForm, PaperFilterForm, PaperForm, SequenceChangeForm, as_int
from meetings.models import Consultation
from meetings.papers.actions import (
    add_consultation,
    add_external_committee,
    add_paper_file,
    create_paper,
    delete_paper,
    move_consultation,
    remove_consultation,
    sequence_warnings,
    set_paper_file_public,
    update_consultation,
    update_paper,
)

PAPERS_PER_PAGE = 25


def paper_list(request):
    form = PaperFilterForm(request.GET or None)
    papers = access.papers_visible_to(request.user).select_related("lead_body", "municipality")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            papers = papers.filter(Q(reference__icontains=data["q"]) | Q(name__icontains=data["q"]))
        if data["body"]:
            in_sequence = Consultation.objects.alive().filter(body=data["body"]).values("paper_id")
            papers = papers.filter(Q(lead_body=data["body"]) | Q(pk__in=in_sequence))
        if data["year"]:
            papers = papers.filter(date__year=data["year"])
        if data["paper_type"]:
            papers = papers.filter(paper_type=data["paper_type"])
        if data["municipality"]:
            papers = papers.filter(municipality=data["municipality"])
    page, query = paginate(request, papers.order_by("-date", "reference"), PAPERS_PER_PAGE)
    return render(
        request,
        "meetings/papers/paper_list.html",
        {"form": form, "page": page, "query": query, "can_manage": access.can_manage(request.user)},
    )


def paper_detail(request, pk: int):
    try:
        paper = access.get_paper_for_user(request.user, pk)
    except Http404:
        if not request.user.is_authenticated:  # a member following a link to a non-public paper signs in first
            return redirect_to_login(request.get_full_path())
        raise
    steps = (
        paper.consultations.alive()
        .select_related("body", "committee__municipality", "meeting", "agenda_item")
        .order_by("order", "pk")
    )
    visible_meetings = set(
        access.meetings_visible_to(request.user).filter(consultations__paper=paper).values_list("pk", flat=True)
    )
    return render(
        request,
        "meetings/papers/paper.html",
        {
            "paper": paper,
            "consultations": steps,
            "visible_meetings": visible_meetings,
            "files": access.paper_files_visible(request.user, paper),
            "can_manage": access.can_manage(request.user),
        },
    )


def _paper_fields(data: dict) -> dict:
    return {
        name: data[name]
        for name in ("reference", "name", "paper_type", "date", "municipality", "lead_body", "description", "public")
    }


@office_required
@require_http_methods(["GET", "POST"])
def paper_create(request):
    form = PaperForm(request.POST or None, initial={"date": timezone.localdate(), "public": True})
    if request.method == "POST" and form.is_valid():
        try:
            paper = create_paper(request.user, **_paper_fields(form.cleaned_data))
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Die Vorlage ist angelegt. Legen Sie jetzt die Beratungsfolge fest."))
            return redirect("meetings:paper_sequence", pk=paper.pk)
    return render(request, "meetings/papers/paper_form.html", {"form": form, "creating": True})


@office_required
@require_http_methods(["GET", "POST"])
def paper_edit(request, pk: int):
    paper = access.get_paper_for_user(request.user, pk, manage=True)
    initial = {name: getattr(paper, name) for name in ("reference", "name", "paper_type", "date", "description", "public")}
    initial.update(municipality=paper.municipality, lead_body=paper.lead_body, version=paper.version)
    form = PaperForm(request.POST or None, initial=initial, current_type=paper.paper_type)
    status = 200
    if request.method == "POST":

        def write(data: dict) -> None:
            update_paper(request.user, paper, data.get("version") or 0, **_paper_fields(data))

        if apply_edit(form, write):
            messages.success(request, _("Gespeichert."))
            return redirect(paper)
        status = failed_status(form)
    return render(request, "meetings/papers/paper_form.html", {"form": form, "paper": paper}, status=status)


@office_required
@require_http_methods(["GET", "POST"])
def paper_delete(request, pk: int):
    paper = access.get_paper_for_user(request.user, pk, manage=True)
    if request.method == "POST":
        delete_paper(request.user, paper)
        messages.success(request, _("Die Vorlage %(ref)s ist gelöscht.") % {"ref": paper.reference})
        return redirect("meetings:papers")
    return render(request, "meetings/papers/paper_delete.html", {"paper": paper})


def _step_fields(request, data: dict) -> dict:
    committee = data["committee"]
    if data["new_committee_name"]:
        committee = add_external_committee(request.user, data["new_committee_municipality"], data["new_committee_name"])
    return {
        "body": data["body"],
        "committee": committee,
        "role": data["role"],
        "authoritative": data["authoritative"],
        "date": data["date"],
        "meeting": data["meeting"],
        "agenda_item": data["agenda_item"],
    }


SEQUENCE_CONFLICT = _(
    "Die Beratungsfolge wurde inzwischen von jemand anderem geändert. Bitte prüfen Sie die aktuelle Reihenfolge und wiederholen Sie Ihre Änderung."
)


def _save_step(request, form, save) -> bool:
    """Run ``save(fields, version)`` for a step form; errors land on the form, warnings in messages."""
    warnings: list[str] = []

    def write(data: dict) -> None:
        with transaction.atomic():
            warnings.extend(save(_step_fields(request, data), data["sequence_version"]))

    if not apply_edit(form, write):
        return False
    for warning in warnings:
        messages.warning(request, warning)
    return True


@office_required
@require_http_methods(["GET", "POST"])
def paper_sequence(request, pk: int):
    paper = access.get_paper_for_user(request.user, pk, manage=True)
    form = ConsultationForm(initial={"sequence_version": paper.sequence_version})
    status = 200
    if request.method == "POST":
        op = request.POST.get("op", "")
        if op == "add":
            form = ConsultationForm(request.POST)

            def add(fields, version):
                return add_consultation(request.user, paper, version, **fields)[1]

            if _save_step(request, form, add):
                messages.success(request, _("Der Schritt ist der Beratungsfolge hinzugefügt."))
                return redirect("meetings:paper_sequence", pk=paper.pk)
            status = failed_status(form)
        elif op in {"up", "down", "remove"}:
            change = SequenceChangeForm(request.POST)
            if not change.is_valid():
                raise Http404
            step = paper.consultations.alive().filter(pk=as_int(request.POST.get("step"))).first()
            if step is None:
                raise Http404
            moved: list[str] = []

            def write(data: dict) -> None:
                version = as_int(request.POST.get("sequence_version"))
                if data["op"] == "remove":
                    remove_consultation(request.user, step, version)
                else:
                    moved.extend(move_consultation(request.user, step, data["op"], version))

            if apply_edit(change, write):
                for warning in moved:
                    messages.warning(request, warning)
                done = (
                    _("Der Schritt ist aus der Beratungsfolge entfernt.")
                    if op == "remove"
                    else _("Die Reihenfolge ist gespeichert.")
                )
                messages.success(request, done)
                return redirect("meetings:paper_sequence", pk=paper.pk)
            status = failed_status(change)
            errors = [SEQUENCE_CONFLICT] if change.edit_conflict else [e for errs in change.errors.values() for e in errs]
            for error in errors:
                messages.error(request, error)
        else:
            raise Http404
        paper.refresh_from_db()
        if getattr(form, "edit_conflict", False):
            # The page now shows the current sequence; the kept input can be sent again against it.
            form.data = form.data.copy()
            form.data["sequence_version"] = paper.sequence_version
    steps = paper.consultations.alive().select_related("body", "committee__municipality", "meeting", "agenda_item")
    return render(
        request,
        "meetings/papers/paper_sequence.html",
        {
            "paper": paper,
            "steps": steps.order_by("order", "pk"),
            "visible_meetings": {step.meeting_id for step in steps if step.meeting_id},
            "form": form,
            "warnings": sequence_warnings(paper),
        },
        status=status,
    )


@office_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk: int, step: int):
    paper = access.get_paper_for_user(request.user, pk, manage=True)
    consultation = paper.consultations.alive().filter(pk=as_int(step)).first()
    if consultation is None:
        raise Http404
    initial = {
        "body": consultation.body,
        "committee": consultation.committee,
        "role": consultation.role,
        "authoritative": consultation.authoritative,
        "date": consultation.date,
        "meeting": consultation.meeting,
        "agenda_item": consultation.agenda_item,
        "sequence_version": paper.sequence_version,
    }
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST":

        def update(fields, version):
            return update_consultation(request.user, consultation, version, **fields)

        if _save_step(request, form, update):
            messages.success(request, _("Der Schritt ist gespeichert."))
            return redirect("meetings:paper_sequence", pk=paper.pk)
        return render(
            request,
            "meetings/papers/consultation_form.html",
            {"paper": paper, "step": consultation, "form": form},
            status=failed_status(form),
        )
    return render(request, "meetings/papers/consultation_form.html", {"paper": paper, "step": consultation, "form": form})


@office_required
@require_http_methods(["GET", "POST"])
def paper_files(request, pk: int):
    paper = access.get_paper_for_user(request.user, pk, manage=True)
    form = PaperFileForm()
    if request.method == "POST":
        op = request.POST.get("op", "upload")
        if op == "upload":
            form = PaperFileForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    add_paper_file(
                        request.user, paper, data["upload"], name=data["name"], role=data["role"], public=data["public"]
                    )
                except ValidationError as exc:
                    add_to_form(form, exc)
                else:
                    messages.success(request, _("Die Datei ist hochgeladen."))
                    return redirect("meetings:paper_files", pk=paper.pk)
        elif op in {"public", "internal", "remove"}:
            document = paper.files.alive().filter(pk=as_int(request.POST.get("file"))).first()
            if document is None:
                raise Http404
            if op == "remove":
                soft_delete(request.user, document)
                messages.success(request, _("Die Datei „%(name)s“ ist entfernt.") % {"name": document.name})
            else:
                set_paper_file_public(request.user, document, op == "public")
                messages.success(request, _("Gespeichert."))
            return redirect("meetings:paper_files", pk=paper.pk)
        else:
            raise Http404
    return render(
        request,
        "meetings/papers/paper_files.html",
        {"paper": paper, "form": form, "files": paper.files.alive().order_by("-role", "name", "pk")},
    )
