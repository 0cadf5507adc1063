"""Pages of the annual report: the list, the report (draft or frozen), its texts and steps, files, the public page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import login_required, office_required
from accounts.roles import is_office
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form

from . import actions
from .access import get_released_report, get_report_for_user, released_reports, reports_for_user
from .content import TEXT_KEYS, text_title
from .forms import ApprovalForm, CorrectionForm, DraftForm, TextForm, VersionForm
from .models import AnnualReport, TextBlock
from .outputs import ODT_MIME, render_odt, render_pdf
from .presentation import build, text_blocks


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    reports = list(reports_for_user(request.user))
    form = None
    status = 200
    if is_office(request.user):
        form = DraftForm(request.POST or None)
        if request.method == "POST":
            if form.is_valid():
                try:
                    report = actions.create_draft(request.user, form.cleaned_data["year"])
                except ValidationError as exc:
                    add_to_form(form, exc)
                else:
                    messages.success(request, _("Der Entwurf für %(year)s ist angelegt.") % {"year": report.year})
                    return redirect(report)
            status = 400
    elif request.method == "POST":
        raise Http404
    return render(request, "annualreport/list.html", {"reports": reports, "form": form}, status=status)


def _report_page(request, report: AnnualReport, *, status: int = 200, **forms):
    presentation = build(report)
    office = is_office(request.user)
    context = {
        "report": report,
        "p": presentation,
        "office": office,
        "texts": text_blocks(report),
        "versions": list(reports_for_user(request.user).filter(year=report.year)),
        "freeze_form": forms.get("freeze_form") or VersionForm(initial={"version": report.version}),
        "release_form": forms.get("release_form") or VersionForm(initial={"version": report.version}),
    }
    return render(request, "annualreport/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk: int):
    return _report_page(request, get_report_for_user(request.user, pk))


@office_required
@require_http_methods(["GET", "POST"])
def edit_text(request, pk: int, block_key: str):
    key = block_key
    report = get_report_for_user(request.user, pk, write=True)
    if key not in TEXT_KEYS:
        raise Http404
    block = TextBlock.objects.filter(report=report, key=key).first()
    if block is None:
        raise Http404
    form = TextForm(request.POST or None, initial={"text": block.text, "version": block.version})
    status = 200
    if request.method == "POST":
        if apply_edit(form, lambda data: actions.edit_text(request.user, report, key, data["version"], data["text"])):
            messages.success(request, _("Der Text ist gespeichert."))
            return redirect(f"{report.get_absolute_url()}#text-{key}")
        report.refresh_from_db(fields=["status"])
        status = 409 if report.is_frozen else failed_status(form)
    elif report.is_frozen:
        messages.info(request, _("Der Bericht ist eingefroren; seine Texte ändern sich nicht mehr."))
        return redirect(report)
    context = {"report": report, "key": key, "title": text_title(key), "form": form, "block": block, "frozen": report.is_frozen}
    return render(request, "annualreport/text_form.html", context, status=status)


@office_required
@require_POST
def freeze(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    form = VersionForm(request.POST)
    if apply_edit(form, lambda data: actions.freeze(request.user, report, data["version"])):
        messages.success(request, _("Der Bericht ist eingefroren. Zahlen und Texte ändern sich nicht mehr."))
        return redirect(report)
    return _report_page(request, get_report_for_user(request.user, pk), status=failed_status(form), freeze_form=form)


@office_required
@require_http_methods(["GET", "POST"])
def correct(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    if not report.is_frozen:
        raise Http404
    form = CorrectionForm(request.POST or None)
    if request.method == "POST":
        if apply_edit(form, lambda data: actions.correct(request.user, report, data["note"])):
            new = AnnualReport.objects.get(year=report.year, corrects=report)
            messages.success(request, _("Die berichtigte Fassung %(number)s ist angelegt.") % {"number": new.number})
            return redirect(new)
        return render(request, "annualreport/correct.html", {"report": report, "form": form}, status=failed_status(form))
    return render(request, "annualreport/correct.html", {"report": report, "form": form})


@office_required
@require_http_methods(["GET", "POST"])
def approval(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    if not report.is_frozen:
        raise Http404
    form = ApprovalForm(request.POST or None, initial={"version": report.version, "agenda_item": report.approval_item_id})
    if request.method == "POST":
        if apply_edit(form, lambda data: actions.link_approval(request.user, report, data["version"], data["agenda_item"])):
            messages.success(request, _("Der Beschluss der Regiegruppe ist verknüpft."))
            return redirect(report)
        return render(request, "annualreport/approval.html", {"report": report, "form": form}, status=failed_status(form))
    return render(request, "annualreport/approval.html", {"report": report, "form": form})


@office_required
@require_POST
def release(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    form = VersionForm(request.POST)
    if apply_edit(form, lambda data: actions.release(request.user, report, data["version"])):
        messages.success(request, _("Der Bericht steht jetzt auf der öffentlichen Website."))
        return redirect(report)
    return _report_page(request, get_report_for_user(request.user, pk), status=failed_status(form), release_form=form)


def _file(report: AnnualReport, kind: str, *, live: bool) -> HttpResponse:
    """The stored bytes of a frozen report; a draft's file is made now."""
    if kind == "pdf":
        data = bytes(report.pdf) if report.is_frozen and report.pdf else render_pdf(build(report))
        content_type = "application/pdf"
    else:
        data = bytes(report.odt) if report.is_frozen and report.odt else render_odt(build(report, with_charts=False))
        content_type = ODT_MIME
    suffix = f"-fassung-{report.number}" if report.number > 1 else ""
    draft = "-entwurf" if live and not report.is_frozen else ""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="jahresbericht-{report.year}{suffix}{draft}.{kind}"'
    return response


@login_required
@require_GET
def report_pdf(request, pk: int):
    return _file(get_report_for_user(request.user, pk), "pdf", live=True)


@login_required
@require_GET
def report_odt(request, pk: int):
    return _file(get_report_for_user(request.user, pk), "odt", live=True)


@login_required
@require_GET
def partner(request, pk: int):
    report = get_report_for_user(request.user, pk)
    return render(request, "annualreport/partner.html", _partner_context(request, report))


def _partner_context(request, report: AnnualReport) -> dict:
    context: dict = {"report": report, "p": build(report, with_charts=False)}
    if is_office(request.user) and not report.is_frozen:
        from .content import PARTNER_TITLES
        from .figures import PARTNER_FIELDS, partner_activities

        context["activities"] = [row for row in partner_activities(report.year) if row["year"] == report.year]
        context["fields"] = [(key, PARTNER_TITLES[key]) for key in PARTNER_FIELDS]
    return context


@office_required
@require_POST
def partner_assign(request, pk: int):
    """The office ticks which of the year's activities count for which measure field (explicit, over keywords)."""
    from .figures import PARTNER_FIELDS

    report = get_report_for_user(request.user, pk, write=True)
    chosen: dict[tuple[str, int], set[str]] = {}
    for token in request.POST.getlist("row"):
        kind, _sep, raw_pk = token.partition(":")
        if not raw_pk.isdigit() or len(raw_pk) > 18:
            return HttpResponseBadRequest(_("Ungültige Angabe einer Aktivität."))
        chosen[(kind, int(raw_pk))] = {field for field in request.POST.getlist(f"a-{kind}-{raw_pk}") if field in PARTNER_FIELDS}
    try:
        changed = actions.assign_partner_fields(request.user, report, chosen)
    except ValidationError as exc:
        context = _partner_context(request, report)
        context["assign_errors"] = exc.messages
        return render(request, "annualreport/partner.html", context, status=409 if exc.code == "stale" else 400)
    messages.success(request, _("Zuordnungen gespeichert (%(n)d Änderungen).") % {"n": changed})
    return redirect("annualreport:partner", pk=report.pk)


@require_GET
def public(request, year: int):
    report = get_released_report(year)
    return render(request, "annualreport/public.html", {"report": report, "p": build(report)})


@require_GET
def public_index(request):
    return render(request, "annualreport/public_index.html", {"reports": released_reports()})


@require_GET
def public_pdf(request, year: int):
    return _file(get_released_report(year), "pdf", live=False)


@require_GET
def public_odt(request, year: int):
    return _file(get_released_report(year), "odt", live=False)
