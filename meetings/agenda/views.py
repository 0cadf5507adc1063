"""Agenda pages: proposals, the agenda of a meeting (accept, defer, reject, order, standing items), items added and
edited directly. A frozen agenda (meeting held) shows no buttons and refuses every change.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form
from meetings import access, rules
from meetings.agenda.actions import (
    add_item,
    apply_template,
    backlog,
    decide_item,
    move_item,
    propose_item,
    remove_item_file,
    update_item,
)
from meetings.agenda.numbering import numbered_agenda
from meetings.forms import AgendaChangeForm, AgendaItemForm, ItemFileRemoveForm, ProposalForm, as_int
from meetings.models import AgendaItem, Meeting, MeetingFile
from meetings.uploads import store_pdf


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request, slug: str):
    body = access.get_body_for_meetings(request.user, slug, propose=True)
    person = access.person_of(request.user)
    form = ProposalForm(
        request.POST or None, request.FILES or None, body=body, initial={"municipality": person.municipality if person else None}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                item = propose_item(
                    request.user,
                    body,
                    title=data["title"],
                    description=data["description"],
                    presenter=data["presenter"],
                    municipality=data["municipality"],
                    duration_minutes=data["duration_minutes"],
                    public=data["public"],
                )
                if data["document"]:
                    document = data["document"]
                    store_pdf(
                        document,
                        role=MeetingFile.Role.AUXILIARY,
                        public=data["public"],
                        name=document.name.rsplit(".", 1)[0],
                        agenda_item=item,
                        uploader=request.user,
                    )
        except ValidationError as exc:
            add_to_form(form, exc, rename={"upload": "document"})
        else:
            messages.success(request, _("Ihr Vorschlag steht jetzt in der Themenliste des Gremiums."))
            return redirect("meetings:body", slug=body.slug)
    return render(request, "meetings/agenda/proposal_form.html", {"form": form, "body": body})


@login_required
@require_http_methods(["GET", "POST"])
def agenda_manage(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, order=True)
    status = 200
    if request.method == "POST":
        form = AgendaChangeForm(request.POST)
        if not form.is_valid():
            raise Http404

        def write(data: dict) -> None:
            op, version = data["op"], as_int(request.POST.get("agenda_version"))
            if op == "template":
                apply_template(request.user, meeting)
                return
            item = access.get_agenda_item_for_user(request.user, request.POST.get("item"), decide=True)
            if op in {"up", "down"}:
                if item.meeting_id != meeting.pk:
                    raise Http404
                move_item(request.user, item, op, version)
            else:
                if item.body_id != meeting.body_id:
                    raise Http404
                seen = request.POST.get("version")  # the item as the decider saw it (older pages send none)
                decide_item(
                    request.user,
                    item,
                    op,
                    meeting=meeting,
                    expected_agenda_version=version,
                    expected_version=as_int(seen) if seen is not None else None,
                )

        if apply_edit(form, write):
            messages.success(request, _("Die Tagesordnung ist aktualisiert."))
            return redirect("meetings:agenda", pk=meeting.pk)
        status = failed_status(form)
        errors = [AGENDA_CONFLICT] if form.edit_conflict else [e for errs in form.errors.values() for e in errs]
        for error in errors:
            messages.error(request, error)
    meeting.refresh_from_db()
    items = (
        meeting.agenda_items.alive()
        .filter(status=AgendaItem.Status.ACCEPTED)
        .order_by("position", "pk")
        .select_related("presenter", "municipality")
    )
    return render(
        request,
        "meetings/agenda/agenda.html",
        {
            "meeting": meeting,
            "agenda": numbered_agenda(meeting, items),
            "backlog": backlog(meeting.body),
            "frozen": rules.agenda_frozen(meeting),
        },
        status=status,
    )


AGENDA_CONFLICT = _(
    "Die Tagesordnung wurde inzwischen von jemand anderem geändert. Bitte prüfen Sie die aktuelle Reihenfolge "
    "und wiederholen Sie Ihre Änderung."
)


def _item_fields(data: dict) -> dict:
    return {name: data[name] for name in ("title", "description", "presenter", "municipality", "duration_minutes", "public")}


def _frozen_page(request, meeting: Meeting):
    """A held meeting's agenda is closed: back to the agenda page, which says so."""
    try:
        rules.check_agenda_open(meeting)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("meetings:agenda", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_create(request, pk: int):
    """The speaker, the deputy or the office adds an item directly (no proposal first)."""
    meeting = access.get_meeting_for_user(request.user, pk, order=True)
    if rules.agenda_frozen(meeting):
        return _frozen_page(request, meeting)
    form = AgendaItemForm(
        request.POST or None, request.FILES or None, body=meeting.body, initial={"version": meeting.agenda_version}
    )
    status = 200
    if request.method == "POST":
        added: list[AgendaItem] = []

        def write(data: dict) -> None:
            added.append(add_item(request.user, meeting, data.get("version"), document=data["document"], **_item_fields(data)))

        if apply_edit(form, write, rename={"upload": "document"}):
            item = added[0]
            messages.success(
                request,
                _("„%(title)s“ steht jetzt auf der Tagesordnung (%(minutes)s Minuten).")
                % {"title": item.title, "minutes": item.duration_minutes},
            )
            return redirect("meetings:agenda", pk=meeting.pk)
        status = failed_status(form)
        if form.edit_conflict:  # the typed item stays; the next save starts from the agenda as it is now
            meeting.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = meeting.agenda_version
    return render(
        request, "meetings/agenda/agenda_item_form.html", {"meeting": meeting, "form": form, "creating": True}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, pk: int, item: int):
    """Edit an accepted item: title, description, presenter, city, duration, publicity; add a PDF."""
    meeting = access.get_meeting_for_user(request.user, pk, order=True)
    agenda_item = access.get_agenda_item_for_user(request.user, item, decide=True)
    if agenda_item.meeting_id != meeting.pk or agenda_item.status != AgendaItem.Status.ACCEPTED:
        raise Http404
    if rules.agenda_frozen(meeting):
        return _frozen_page(request, meeting)
    initial = {name: getattr(agenda_item, name) for name in ("title", "description", "duration_minutes", "public")}
    initial.update(presenter=agenda_item.presenter, municipality=agenda_item.municipality, version=agenda_item.version)
    form = AgendaItemForm(request.POST or None, request.FILES or None, body=meeting.body, initial=initial)
    status = 200
    if request.method == "POST":

        def write(data: dict) -> None:
            update_item(request.user, agenda_item, data.get("version") or 0, document=data["document"], **_item_fields(data))

        if apply_edit(form, write, rename={"upload": "document"}):
            messages.success(request, _("„%(title)s“ ist gespeichert.") % {"title": agenda_item.title})
            return redirect("meetings:agenda", pk=meeting.pk)
        status = failed_status(form)
        if form.edit_conflict:
            form.data = form.data.copy()
            form.data["version"] = AgendaItem.objects.get(pk=agenda_item.pk).version
    return _item_page(request, meeting, agenda_item, form, status)


def _item_page(request, meeting: Meeting, agenda_item: AgendaItem, form, status: int):
    current = AgendaItem.objects.get(pk=agenda_item.pk)  # after a conflict: what the other person saved
    return render(
        request,
        "meetings/agenda/agenda_item_form.html",
        {"meeting": meeting, "form": form, "item": current, "files": current.files.alive().order_by("pk")},
        status=status,
    )


@login_required
@require_POST
def agenda_item_file_remove(request, pk: int, item: int, file: int):
    """Remove a PDF from an accepted item (the edit page's "entfernen" button, which sends the item's version)."""
    meeting = access.get_meeting_for_user(request.user, pk, order=True)
    agenda_item = access.get_agenda_item_for_user(request.user, item, decide=True)
    if agenda_item.meeting_id != meeting.pk or agenda_item.status != AgendaItem.Status.ACCEPTED:
        raise Http404
    document = agenda_item.files.alive().filter(pk=file).first()
    if document is None:
        raise Http404
    removal = ItemFileRemoveForm(request.POST)
    if apply_edit(removal, lambda data: remove_item_file(request.user, agenda_item, document, data["version"])):
        messages.success(request, _("Die Unterlage „%(name)s“ ist entfernt.") % {"name": document.name})
        return redirect("meetings:agenda_item_edit", pk=meeting.pk, item=agenda_item.pk)
    current = AgendaItem.objects.get(pk=agenda_item.pk)
    initial = {name: getattr(current, name) for name in ("title", "description", "duration_minutes", "public")}
    initial.update(presenter=current.presenter, municipality=current.municipality, version=current.version)
    for error in removal.non_field_errors() + removal.errors.get("version", []):
        messages.error(request, error)
    form = AgendaItemForm(body=meeting.body, initial=initial)
    return _item_page(request, meeting, agenda_item, form, failed_status(removal))
