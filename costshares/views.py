"""Pages of the cost distribution: index, calculation sheet (+ CSV/XLSX), overview, notices, payments, city billing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import is_office
from lib.spreadsheet import to_csv, to_xlsx
from members.models import Municipality

from . import actions, xrechnung
from .access import (
    get_municipality_for_office,
    get_settings_for_user,
    get_share_for_user,
    own_municipality_ids,
    sees_overview,
    sees_sheet,
)
from .forms import BudgetLineForm, PaymentForm, RecipientForm, SettingForm
from .models import BudgetLine, InvoiceRecipient, Payment, Setting, Share


def _failed(request, template: str, context: dict):
    return render(request, template, context, status=400)


@login_required
def index(request):
    if not (sees_sheet(request.user) or own_municipality_ids(request.user)):
        raise Http404
    latest = Setting.objects.values("year").annotate(number=Max("number")).order_by("-year")
    current = {(s.year, s.number): s for s in Setting.objects.filter(year__in=[row["year"] for row in latest])}
    years = [current[(row["year"], row["number"])] for row in latest]
    own_shares = (
        Share.objects.filter(municipality_id__in=own_municipality_ids(request.user))
        .select_related("setting", "municipality")
        .order_by("-setting__year", "-setting__number")
    )
    return render(
        request,
        "costshares/index.html",
        {
            "years": years if sees_sheet(request.user) else [],
            "own_shares": own_shares,
            "can_manage": is_office(request.user),
            "sees_overview": sees_overview(request.user),
        },
    )


def _sheet_context(request, year) -> dict:
    versions = get_settings_for_user(request.user, year)
    chosen = versions[0]
    wanted = request.GET.get("fassung")
    if wanted:
        chosen = next((v for v in versions if str(v.number) == wanted), None)
        if chosen is None:
            raise Http404
    shares = list(chosen.shares.select_related("municipality"))
    return {"versions": versions, "setting": chosen, "shares": shares, "is_current": chosen == versions[0]}


def _sheet_rows(setting: Setting, shares: list[Share]):
    header = [
        _("Stadt"),
        _("Mitgliedstage"),
        _("Tage des Jahres"),
        _("Einwohnerzahl"),
        _("Stichtag"),
        _("Quelle"),
        _("Beschäftigte"),
        _("Stichtag"),
        _("Quelle"),
        _("Anteil (€)"),
    ]
    rows = [
        [
            s.municipality.short_name,
            s.member_days,
            s.year_days,
            s.population,
            s.population_date,
            s.population_source,
            s.staff,
            s.staff_date,
            s.staff_source,
            s.amount,
        ]
        for s in shares
    ]
    rows.append([_("Summe"), "", "", "", "", "", "", "", "", sum((s.amount for s in shares), Decimal("0.00"))])
    return header, rows


@login_required
def sheet(request, year: int):
    context = _sheet_context(request, year)
    context["total"] = sum((s.amount for s in context["shares"]), Decimal("0.00"))
    context["can_manage"] = is_office(request.user)
    return render(request, "costshares/sheet.html", context)


@login_required
def sheet_csv(request, year: int):
    context = _sheet_context(request, year)
    header, rows = _sheet_rows(context["setting"], context["shares"])
    response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kostenverteilung-{year}-fassung-{context["setting"].number}.csv"'
    return response


@login_required
def sheet_xlsx(request, year: int):
    context = _sheet_context(request, year)
    header, rows = _sheet_rows(context["setting"], context["shares"])
    response = HttpResponse(
        to_xlsx(header, rows, title=f"Kostenverteilung {year}"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="kostenverteilung-{year}-fassung-{context["setting"].number}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def create_setting_view(request):
    if not is_office(request.user):
        raise Http404
    form = SettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            setting = actions.create_setting(
                request.user,
                year=data["year"],
                budget=data["budget"],
                key_date=data["key_date"],
                due_date=data["due_date"],
                equal_percent=data["equal_percent"] or Decimal(0),
                population_percent=data["population_percent"] or Decimal(0),
                staff_percent=data["staff_percent"] or Decimal(0),
                cap=data["cap"],
                floor=data["floor"],
                decision=data["decision"],
                reason=data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Die Festsetzung ist gespeichert; frühere Fassungen bleiben erhalten."))
            return redirect("costshares:sheet", setting.year)
    context = {"form": form}
    return render(request, "costshares/setting_form.html", context, status=400 if form.is_bound else 200)


@login_required
def overview(request):
    if not sees_overview(request.user):
        raise Http404
    latest = Setting.objects.values("year").annotate(number=Max("number"))
    settings_by_year = {
        s.year: s
        for s in Setting.objects.filter(year__in=[r["year"] for r in latest]).select_related("decision__meeting")
        if any(r["year"] == s.year and r["number"] == s.number for r in latest)
    }
    shares = Share.objects.filter(setting__in=settings_by_year.values()).select_related("municipality", "setting")
    paid = {
        (row["municipality"], row["year"]): row["total"]
        for row in Payment.objects.values("municipality", "year").annotate(total=Sum("amount"))
    }
    budgets = {(b.municipality_id, b.year): b for b in BudgetLine.objects.select_related("paper")}
    years = []
    for year in sorted(settings_by_year, reverse=True):
        rows = []
        for share in sorted((s for s in shares if s.setting.year == year), key=lambda s: s.municipality.short_name):
            received = paid.get((share.municipality_id, year), Decimal("0.00"))
            rows.append(
                {
                    "share": share,
                    "paid": received,
                    "outstanding": share.amount - received,
                    "budget": budgets.get((share.municipality_id, year)),
                }
            )
        years.append({"setting": settings_by_year[year], "rows": rows})
    return render(request, "costshares/overview.html", {"years": years, "can_manage": is_office(request.user)})


def _share_context(request, share: Share, payment_form=None) -> dict:
    recipient = InvoiceRecipient.objects.filter(municipality=share.municipality).first()
    current = actions.current_setting(share.setting.year)
    return {
        "share": share,
        "setting": share.setting,
        "is_current": current is not None and current.pk == share.setting_id,
        "payments": Payment.objects.filter(municipality=share.municipality, year=share.setting.year),
        "paid": actions.paid(share.municipality, share.setting.year),
        "recipient": recipient,
        "budget_line": BudgetLine.objects.filter(municipality=share.municipality, year=share.setting.year)
        .select_related("paper")
        .first(),
        "can_manage": is_office(request.user),
        "payment_form": payment_form or PaymentForm(),
    }


@login_required
def share_detail(request, pk: int):
    share = get_share_for_user(request.user, pk)
    context = _share_context(request, share)
    context["outstanding"] = share.amount - context["paid"]
    return render(request, "costshares/share.html", context)


@login_required
def share_pdf(request, pk: int):
    from monitoring.pdf import available, render_pdf

    share = get_share_for_user(request.user, pk)
    if not available():
        raise Http404
    context = _share_context(request, share)
    context["creditor"] = _creditor()
    pdf = render_pdf("costshares/notice_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{share.notice_number}.pdf"'
    return response


@login_required
def share_xrechnung(request, pk: int):
    share = get_share_for_user(request.user, pk)
    if not InvoiceRecipient.objects.filter(municipality=share.municipality).exists():
        raise Http404
    try:
        xml = xrechnung.build_valid_xrechnung(share)
    except xrechnung.InvalidXRechnung as error:
        context = _share_context(request, share)
        context["xrechnung_errors"] = error.errors
        return render(request, "costshares/share.html", context, status=409)
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{share.notice_number}-xrechnung.xml"'
    return response


@login_required
@require_POST
def record_payment_view(request, pk: int):
    share = get_share_for_user(request.user, pk, manage=True)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            actions.record_payment(
                request.user,
                municipality=share.municipality,
                year=share.setting.year,
                amount=form.cleaned_data["amount"],
                received_on=form.cleaned_data["received_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Der Zahlungseingang ist erfasst."))
            return redirect(share.get_absolute_url())
    context = _share_context(request, share, payment_form=form)
    context["outstanding"] = share.amount - context["paid"]
    return _failed(request, "costshares/share.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def city_billing(request, slug: str):
    municipality: Municipality = get_municipality_for_office(request.user, slug)
    recipient = InvoiceRecipient.objects.filter(municipality=municipality).first()
    initial = {k: getattr(recipient, k) for k in ("leitweg_id", "department", "street", "postcode", "city")} if recipient else {}
    recipient_form = RecipientForm(request.POST if request.POST.get("form") == "recipient" else None, initial=initial, prefix="r")
    budget_form = BudgetLineForm(request.POST if request.POST.get("form") == "budget" else None, prefix="b")
    if request.method == "POST":
        form = recipient_form if request.POST.get("form") == "recipient" else budget_form
        if form.is_valid():
            try:
                if form is recipient_form:
                    actions.set_invoice_recipient(request.user, municipality, **form.cleaned_data)
                else:
                    data = dict(form.cleaned_data)
                    actions.record_budget_line(
                        request.user,
                        municipality=municipality,
                        year=data.pop("year"),
                        amount=data.pop("amount"),
                        decision_reference=data.pop("decision_reference"),
                        **data,
                    )
            except ValidationError as error:
                for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Gespeichert."))
                return redirect("costshares:city", municipality.slug)
    context = {
        "municipality": municipality,
        "recipient": recipient,
        "recipient_form": recipient_form,
        "budget_form": budget_form,
        "budget_lines": BudgetLine.objects.filter(municipality=municipality).select_related("paper"),
    }
    return render(request, "costshares/city.html", context, status=400 if request.method == "POST" else 200)


def _creditor() -> dict:
    from django.conf import settings

    return settings.COSTSHARES_CREDITOR
