"""The managing office runs the survey: rounds, waves, codes, reference data, access, release."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required, office_required
from accounts.roles import is_office
from lib.errors import add_to_messages
from lib.spreadsheet import to_csv
from members.models import Municipality

from .. import actions, pdf
from ..forms import AccessGrantForm, CodeBatchForm, ImportForm, RoundForm, WaveForm
from ..imports import HEADCOUNT_REQUIRED, POPULATION_OPTIONAL, POPULATION_REQUIRED, import_headcounts, import_population
from ..models import HRHeadcount, MonitoringAccess, PopulationReference, SurveyRound, Wave

STATUS_ACTIONS = {
    Wave.Status.FIELDING: gettext_lazy("Befragung starten"),
    Wave.Status.CLOSED: gettext_lazy("Befragung beenden"),
    Wave.Status.RELEASED: gettext_lazy("Ergebnisse veröffentlichen"),
    Wave.Status.FINAL: gettext_lazy("Veröffentlichung zurücknehmen"),
}


@office_required
def manage(request):
    rounds = SurveyRound.objects.select_related("questionnaire").annotate(wave_count=Count("waves")).order_by("-slug")
    return render(request, "monitoring/manage/index.html", {"rounds": rounds})


@office_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_round = actions.create_round(request.user, **form.cleaned_data)
        except ValidationError as error:
            add_to_messages(request, error)
        else:
            messages.success(request, _("Die Erhebungsrunde wurde angelegt. Legen Sie jetzt die Wellen der Städte an."))
            return redirect("monitoring:round_manage", survey_round.slug)
    return render(request, "monitoring/manage/form.html", {"form": form, "title": _("Neue Erhebungsrunde")})


@office_required
def round_manage(request, round_slug: str):
    survey_round = get_object_or_404(SurveyRound, slug=round_slug)
    waves = (
        survey_round.waves.select_related("municipality")
        .annotate(codes=Count("access_codes"), used=Count("access_codes", filter=Q(access_codes__used=True)))
        .order_by("municipality__short_name")
    )
    rows = []
    for wave in waves:
        options = [
            (status, STATUS_ACTIONS[status]) for status in actions.ALLOWED.get(wave.status, ()) if status in STATUS_ACTIONS
        ]
        rows.append(
            {
                "wave": wave,
                "actions": options,
                "open_link": request.build_absolute_uri(reverse("monitoring:survey_open", args=[wave.open_link_token]))
                if wave.open_link_token
                else "",
            }
        )
    return render(
        request,
        "monitoring/manage/round.html",
        {"round": survey_round, "rows": rows, "can_finalise": rows and all(r["wave"].status == Wave.Status.CLOSED for r in rows)},
    )


@office_required
@require_POST
def round_finalise(request, round_slug: str):
    survey_round = get_object_or_404(SurveyRound, slug=round_slug)
    try:
        actions.finalise_round(request.user, survey_round)
    except ValidationError as error:
        add_to_messages(request, error)
    except RuntimeError:
        messages.error(request, _("Die Geheimhaltung konnte nicht sichergestellt werden; es wurde nichts veröffentlicht."))
    else:
        messages.success(
            request,
            _(
                "Die Runde ist ausgewertet. Die Ergebnisse sind für die Berechtigten sichtbar, öffentlich aber erst nach Freigabe."
            ),
        )
    return redirect("monitoring:round_manage", round_slug)


@office_required
@require_http_methods(["GET", "POST"])
def wave_create(request, round_slug: str):
    survey_round = get_object_or_404(SurveyRound, slug=round_slug)
    return _wave_form(request, Wave(round=survey_round), _("Neue Befragungswelle: %(round)s") % {"round": survey_round.name})


@office_required
@require_http_methods(["GET", "POST"])
def wave_edit(request, pk: int):
    wave = get_object_or_404(Wave.objects.select_related("round", "municipality"), pk=pk)
    return _wave_form(request, wave, _("Befragungswelle %(wave)s") % {"wave": wave})


def _wave_form(request, wave: Wave, title: str):
    form = WaveForm(request.POST or None, instance=wave)
    if request.method == "POST" and form.is_valid():
        wave = form.save(commit=False)
        if "local_items_json" in form.changed_data or wave.pk is None:
            wave.local_items = form.cleaned_data["local_items_json"]
        try:
            actions.save_wave(request.user, wave, open_link=form.cleaned_data["open_link"])
        except ValidationError as error:
            add_to_messages(request, error)
        else:
            messages.success(request, _("Die Befragungswelle wurde gespeichert."))
            return redirect("monitoring:round_manage", wave.round.slug)
    return render(
        request,
        "monitoring/manage/form.html",
        {"form": form, "title": title, "back": reverse("monitoring:round_manage", args=[wave.round.slug])},
    )


@office_required
@require_POST
def wave_status(request, pk: int):
    wave = get_object_or_404(Wave.objects.select_related("round", "municipality"), pk=pk)
    try:
        actions.set_wave_status(request.user, wave, request.POST.get("status", ""))
    except (ValidationError, ValueError) as error:
        add_to_messages(request, error if isinstance(error, ValidationError) else ValidationError(_("Unbekannter Status.")))
    else:
        messages.success(request, _("%(wave)s: Status geändert.") % {"wave": wave})
    return redirect("monitoring:round_manage", wave.round.slug)


@office_required
@require_http_methods(["GET", "POST"])
def wave_codes(request, pk: int):
    """Issue a batch of one-time codes as printable letters (PDF) or a CSV for mail merge."""
    wave = get_object_or_404(Wave.objects.select_related("round", "municipality"), pk=pk)
    form = CodeBatchForm(request.POST or None)
    if not pdf.available():
        form.fields["output"].choices = [c for c in form.fields["output"].choices if c[0] == "csv"]
        form.fields["output"].initial = "csv"
    if request.method == "POST" and form.is_valid():
        try:
            plain = actions.issue_codes(request.user, wave, form.cleaned_data["count"])
        except ValidationError as error:
            add_to_messages(request, error)
            return redirect("monitoring:round_manage", wave.round.slug)
        survey_url = request.build_absolute_uri(reverse("monitoring:survey_start"))
        filename = f"zugangscodes-{wave.round.slug}-{wave.municipality.slug}"
        if form.cleaned_data["output"] == "pdf":
            context = {"wave": wave, "codes": plain, "survey_url": survey_url}
            response = HttpResponse(pdf.render_pdf("monitoring/letters_pdf.html", context), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        else:
            header = [_("Nr."), _("Zugangscode"), _("Adresse der Befragung"), _("Stadt"), _("Befragung bis")]
            rows = [[i, code, survey_url, wave.municipality.name, wave.fielding_end] for i, code in enumerate(plain, start=1)]
            response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response["Cache-Control"] = "no-store"
        return response
    counts = wave.access_codes.aggregate(total=Count("id"), used=Count("id", filter=Q(used=True)))
    return render(
        request, "monitoring/manage/codes.html", {"wave": wave, "form": form, "counts": counts, "pdf_available": pdf.available()}
    )


def _import_page(request, *, title, template_rows, rows, importer, required, optional, restrict_to=None):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        result = importer(data, request.user, restrict_to) if restrict_to is not None else importer(data, request.user)
        if result.ok:
            messages.success(request, _("%(c)s Zeilen neu, %(u)s aktualisiert.") % {"c": result.created, "u": result.updated})
            return redirect(request.path)
    context = {
        "form": form,
        "title": title,
        "result": result,
        "rows": rows,
        "template_rows": template_rows,
        "required": required,
        "optional": optional,
    }
    return render(request, "monitoring/manage/import.html", context)


@office_required
@require_http_methods(["GET", "POST"])
def population(request):
    rows = PopulationReference.objects.select_related("municipality")
    return _import_page(
        request,
        title=_("Bevölkerungszahlen"),
        template_rows="monitoring/manage/_population_rows.html",
        rows=rows,
        importer=import_population,
        required=POPULATION_REQUIRED,
        optional=POPULATION_OPTIONAL,
    )


@login_required
@require_http_methods(["GET", "POST"])
def headcounts(request):
    """The office imports for all cities; a city's HR staff for their own city only."""
    restrict_to = None
    if not is_office(request.user):
        access = (
            MonitoringAccess.objects.filter(user=request.user, function=MonitoringAccess.Function.HR)
            .select_related("municipality")
            .first()
        )
        if access is None:
            raise Http404
        restrict_to = access.municipality
    rows = HRHeadcount.objects.select_related("municipality")
    if restrict_to is not None:
        rows = rows.filter(municipality=restrict_to)
    return _import_page(
        request,
        title=_("Beschäftigtenzahlen der Personalstatistik"),
        template_rows="monitoring/manage/_headcount_rows.html",
        rows=rows,
        importer=import_headcounts,
        required=HEADCOUNT_REQUIRED,
        optional=(),
        restrict_to=restrict_to,
    )


@office_required
@require_http_methods(["GET", "POST"])
def access_list(request):
    form = AccessGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.grant_access(request.user, form.user, form.cleaned_data["municipality"], form.cleaned_data["function"])
        messages.success(request, _("Zugriff eingetragen."))
        return redirect("monitoring:access_list")
    grants = MonitoringAccess.objects.select_related("user", "municipality")
    return render(
        request, "monitoring/manage/access.html", {"form": form, "grants": grants, "cities": Municipality.objects.all()}
    )


@office_required
@require_POST
def access_revoke(request, pk: int):
    access = get_object_or_404(MonitoringAccess, pk=pk)
    actions.revoke_access(request.user, access)
    messages.success(request, _("Zugriff entfernt."))
    return redirect("monitoring:access_list")
