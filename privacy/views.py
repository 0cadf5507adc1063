"""Pages of the data-protection tools: "Meine Daten" for everybody, the office's pages for the rest."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from members.models import Person

from . import actions, record
from .access import get_export_for_user, get_offer_for_office, get_person_for_office, manages_privacy, own_person
from .collect import linked
from .models import ArchiveOffer, DataExport, DeletionLogEntry, RetentionRun
from .registry import Erasure


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Ich bestätige, dass die Person gelöscht werden soll. Das lässt sich nicht rückgängig machen."),
        required=True,
    )
    remove_content = forms.BooleanField(
        label=gettext_lazy("Auch Beiträge, Kommentare und Dateien in gemeinsamen Bereichen löschen"),
        help_text=gettext_lazy("Ohne Haken bleiben sie stehen und werden „ehemaliges Mitglied“ zugeordnet."),
        required=False,
    )


class OfferAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Antwort des Archivs"),
        choices=[
            (ArchiveOffer.Status.TAKEN, ArchiveOffer.Status.TAKEN.label),
            (ArchiveOffer.Status.DECLINED, ArchiveOffer.Status.DECLINED.label),
        ],
    )


def _exports_of(person: Person):
    return DataExport.objects.filter(person=person).order_by("-created")[:10]


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    """The person's own page: ask for the export, download it while it lasts."""
    person = own_person(request.user)
    if request.method == "POST":
        if person is None:
            raise Http404
        try:
            actions.request_export(request.user, person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Ihre Datenauskunft wird erstellt. Sie erhalten eine Benachrichtigung, sobald sie bereit ist.")
            )
        return redirect("privacy:my_data")
    exports = DataExport.objects.filter(person=person, requested_by=request.user).order_by("-created")[:10] if person else []
    return render(request, "privacy/my_data.html", {"person": person, "exports": exports, "now": timezone.now()})


@login_required
@require_GET
def export_download(request, pk: int):
    export = get_export_for_user(request.user, pk)
    try:
        handle = default_storage.open(export.file, "rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=f"datenauskunft-{export.pk}.zip", content_type="application/zip")


@login_required
@require_GET
def office_index(request):
    if not manages_privacy(request.user):
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    people = []
    if query:
        people = list(
            Person.objects.filter(Q(family_name__icontains=query) | Q(given_name__icontains=query) | Q(email__iexact=query))
            .select_related("municipality", "organisation")
            .order_by("family_name", "given_name")[:25]
        )
    context = {
        "query": query,
        "people": people,
        "exports": DataExport.objects.select_related("person").order_by("-created")[:10],
        "deletions": DeletionLogEntry.objects.order_by("-at")[:20],
        "runs": RetentionRun.objects.order_by("-at")[:20],
        "offers": ArchiveOffer.objects.order_by("status", "-created")[:50],
        "rules": record.retention_lines(),
        "answer_form": OfferAnswerForm(),
    }
    return render(request, "privacy/index.html", context)


@login_required
@require_GET
def record_page(request):
    if not manages_privacy(request.user):
        raise Http404
    return render(request, "privacy/record.html", {"sections": record.sections(), "rules": record.retention_lines()})


@login_required
@require_GET
def record_markdown(request):
    if not manages_privacy(request.user):
        raise Http404
    response = HttpResponse(record.as_markdown(), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verarbeitungsverzeichnis.md"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def person_page(request, pk: int):
    """What the platform holds about one person; the office runs the export or the erasure from here."""
    person = get_person_for_office(request.user, pk)
    form = ErasureForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "export":
            try:
                actions.request_export(request.user, person)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Die Datenauskunft wird erstellt. Sie erhalten eine Benachrichtigung, sobald sie bereit ist.")
                )
            return redirect("privacy:person", pk=person.pk)
        form = ErasureForm(request.POST)
        if form.is_valid():
            try:
                entry = actions.erase_person(request.user, person, remove_content=form.cleaned_data["remove_content"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Die Person wurde gelöscht: %(deleted)s Datensätze entfernt, %(kept)s aufbewahrt (siehe Löschprotokoll).")
                    % {"deleted": len(entry.deleted), "kept": len(entry.kept)},
                )
                return redirect("privacy:index")
        status = 400
    holdings = []
    for model, meta, rows in linked(person):
        count = rows.count()
        if count:
            holdings.append(
                {
                    "name": model._meta.verbose_name_plural,
                    "count": count,
                    "kept": meta.erasure == Erasure.KEEP,
                    "reason": meta.keep_reason,
                }
            )
    context = {"person": person, "holdings": holdings, "exports": _exports_of(person), "form": form, "now": timezone.now()}
    return render(request, "privacy/person.html", context, status=status)


@login_required
def answer_offer(request, pk: int):
    offer = get_offer_for_office(request.user, pk)  # 404 before 405: nobody learns which offers exist
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = OfferAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie die Antwort des Archivs."))
        return redirect("privacy:index")
    try:
        actions.answer_archive_offer(request.user, offer, form.cleaned_data["status"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Antwort des Archivs ist erfasst. Die Unterlage wird beim nächsten Lauf gelöscht."))
    return redirect("privacy:index")


@login_required
@require_GET
def offer_download(request, pk: int):
    """The export offered to the archive, to hand over (e-mail, DIMAG ingest, data carrier)."""
    offer = get_offer_for_office(request.user, pk)
    try:
        handle = default_storage.open(offer.file, "rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=f"anbietung-{offer.pk}.zip", content_type="application/zip")
