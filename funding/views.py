"""Pages of the funding cockpit under ``/projekte/<slug>/foerderung/``; every object through ``access.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import is_office
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form
from lib.spreadsheet import to_xlsx

from . import actions, figures
from .access import (
    get_application_for_user,
    get_expense_for_user,
    get_obligation_for_user,
    get_project_for_user,
    get_proof_for_user,
    get_request_for_user,
    sees_rules,
)
from .forms import (
    ApplicationForm,
    ExpectedPaymentForm,
    ExpenseCheckForm,
    ExpenseForm,
    ForwardingForm,
    NarrativeForm,
    NoticeForm,
    ObligationDoneForm,
    PaymentRequestForm,
    PlanVersionForm,
    ProgrammeForm,
    ProofStatusForm,
    ReceivedForm,
    plan_as_text,
)
from .models import Application, Expense, LineKind, Programme, ProofOfUse, Rule


def _form_page(request, *, project, title: str, form, intro: str = "", submit: str = "", extra=None, status=None):
    context = {
        "project": project,
        "title": title,
        "form": form,
        "intro": intro,
        "submit": submit or _("Speichern"),
        **(extra or {}),
    }
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render(request, "funding/form.html", context, status=status)


def _call(form, write) -> object | None:
    """Validate ``form`` and run ``write``; a refusal of the action lands on the form. Returns the result or None."""
    if not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as error:
        add_to_form(form, error)
        return None
    return True if result is None else result


@login_required
def overview(request, slug):
    project, viewer = get_project_for_user(request.user, slug)
    application = Application.objects.filter(project=project).select_related("programme", "notice").order_by("-created").first()
    context = {"project": project, "viewer": viewer, "application": application}
    if application is not None:
        application.project = project
        data = figures.overview(application, None if viewer.all_cities else viewer.own_city_ids)
        notice = getattr(application, "notice", None)
        context.update(
            {
                "data": data,
                "notice": notice,
                "obligations": list(notice.obligations.select_related("owner", "evidence")) if notice else [],
                "requests": list(application.payment_requests.all()),
                "forwardings": [
                    f for f in application.forwardings.select_related("municipality") if viewer.sees_city(f.municipality_id)
                ],
                "proofs": list(application.proofs.all()),
                "versions": list(application.plan_versions.all()),
                "today": timezone.localdate(),
            }
        )
    return render(request, "funding/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programmes(request):
    if not is_office(request.user):
        raise Http404
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and _call(form, lambda data: actions.create_programme(request.user, **data)):
        messages.success(request, _("Das Förderprogramm ist angelegt."))
        return redirect("funding:programmes")
    return render(
        request,
        "funding/programmes.html",
        {"form": form, "programmes": Programme.objects.all()},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_application(request, slug):
    project, _viewer = get_project_for_user(request.user, slug, manage=True)
    form = ApplicationForm(request.POST or None)

    def write(data):
        return actions.create_application(
            request.user,
            project=project,
            programme=data["programme"],
            title=data["title"],
            lines=data["plan"],
            submitted_on=data["submitted_on"],
            reference=data["reference"],
        )

    if request.method == "POST" and _call(form, write):
        messages.success(request, _("Der Antrag mit seinem Finanzierungsplan ist gespeichert."))
        return redirect("funding:overview", project.slug)
    return _form_page(request, project=project, title=_("Förderantrag erfassen"), form=form)


@login_required
@require_http_methods(["GET", "POST"])
def new_plan(request, slug):
    application, _viewer = get_application_for_user(request.user, slug, manage=True)
    plan = actions.current_plan(application)
    initial = {"plan": plan_as_text(plan.lines.select_related("municipality"))} if plan else {}
    form = PlanVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and _call(
        form, lambda d: actions.new_plan_version(request.user, application, d["plan"], reason=d["reason"])
    ):
        messages.success(
            request, _("Die neue Fassung des Finanzierungsplans ist gespeichert; frühere Fassungen bleiben erhalten.")
        )
        return redirect("funding:overview", slug)
    return _form_page(request, project=application.project, title=_("Neue Fassung des Finanzierungsplans"), form=form)


@login_required
@require_http_methods(["GET", "POST"])
def record_notice(request, slug):
    application, _viewer = get_application_for_user(request.user, slug, manage=True)
    if hasattr(application, "notice"):
        raise Http404
    form = NoticeForm(request.POST or None)

    def write(_data):
        return actions.record_notice(request.user, application, **form.notice_fields())

    if request.method == "POST" and _call(form, write):
        messages.success(
            request, _("Der Bescheid ist erfasst; Auflagen und Nachweisfristen stehen als Aufgaben im Arbeitsbereich.")
        )
        return redirect("funding:overview", slug)
    return _form_page(request, project=application.project, title=_("Zuwendungsbescheid erfassen"), form=form)


@login_required
@require_http_methods(["GET", "POST"])
def fulfil_obligation(request, slug, pk):
    obligation, _viewer = get_obligation_for_user(request.user, slug, pk)
    project = obligation.notice.application.project
    form = ObligationDoneForm(request.POST or None, workspace=project.workspace, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and _call(
        form, lambda d: actions.fulfil_obligation(request.user, obligation, done_on=d["done_on"], evidence=d["evidence"])
    ):
        messages.success(request, _("Die Auflage ist als erfüllt vermerkt."))
        return redirect("funding:overview", slug)
    return _form_page(request, project=project, title=_("Auflage erfüllt: %(title)s") % {"title": obligation.title}, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def expected_payments(request, slug):
    application, _viewer = get_application_for_user(request.user, slug, manage=True)
    form = ExpectedPaymentForm(request.POST or None)
    if request.method == "POST" and _call(form, lambda d: actions.add_expected_payment(request.user, application, **d)):
        messages.success(request, _("Die erwartete Zahlung ist eingetragen."))
        return redirect("funding:expected", slug)
    return _form_page(
        request,
        project=application.project,
        title=_("Zahlungsplan"),
        intro=_("Die erwarteten Zahlungen sind die Grundlage der Mittelabrufe nach der Zwei-Monats-Regel."),
        form=form,
        extra={"expected": application.expected_payments.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_request(request, slug):
    application, _viewer = get_application_for_user(request.user, slug, manage=True)
    today = timezone.localdate()
    form = PaymentRequestForm(request.POST or None, initial={"requested_on": today})
    on = today
    if form.is_bound and form.is_valid():
        on = form.cleaned_data["requested_on"]
    plan = actions.tranche_plan(application, on)
    if not form.is_bound:
        form.initial["amount"] = f"{plan.allowed:.2f}".replace(".", ",")

    def write(data):
        return actions.request_payment(
            request.user,
            application,
            requested_on=data["requested_on"],
            amount=data["amount"],
            override_reason=data["override_reason"],
        )

    if request.method == "POST":
        outcome = _call(form, write)
        if outcome is not None:
            messages.success(request, _("Der Mittelabruf ist gespeichert."))
            for warning in outcome.warnings:
                messages.warning(request, warning)
            return redirect("funding:overview", slug)
    return _form_page(
        request,
        project=application.project,
        title=_("Mittel abrufen"),
        form=form,
        submit=_("Mittel abrufen"),
        extra={"tranche": plan, "rule": actions.rule_row("two-month-payment", on)},
    )


@login_required
@require_POST
def payment_received(request, slug, pk):
    payment, _viewer = get_request_for_user(request.user, slug, pk)
    form = ReceivedForm(request.POST)
    if _call(form, lambda d: actions.mark_payment_received(request.user, payment, received_on=d["received_on"])):
        messages.success(request, _("Der Zahlungseingang ist vermerkt."))
        return redirect("funding:overview", slug)
    return _form_page(request, project=payment.application.project, title=_("Zahlungseingang"), form=form)


@login_required
@require_http_methods(["GET", "POST"])
def forwarding(request, slug):
    application, _viewer = get_application_for_user(request.user, slug, check=True)
    form = ForwardingForm(request.POST or None, project=application.project, initial={"forwarded_on": timezone.localdate()})
    if request.method == "POST" and _call(form, lambda d: actions.forward(request.user, application, **d)):
        messages.success(request, _("Die Weiterleitung ist erfasst."))
        return redirect("funding:overview", slug)
    return _form_page(
        request,
        project=application.project,
        title=_("Mittel an eine Partnerstadt weiterleiten"),
        intro=_("Die federführende Stadt leitet eingegangene Mittel an die Partnerstädte weiter (Weiterleitung, Nr. 12 VVG)."),
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def expenses(request, slug):
    application, viewer = get_application_for_user(request.user, slug)
    plan = actions.current_plan(application)
    lines = [line for line in plan.lines.all() if line.kind == LineKind.EXPENSE] if plan else []
    form = None
    if viewer.city_ids and hasattr(application, "notice"):
        form = ExpenseForm(request.POST or None, lines=lines, city_ids=viewer.city_ids, workspace=application.project.workspace)
    elif request.method == "POST":
        raise Http404
    if request.method == "POST" and _call(form, lambda d: actions.record_expense(request.user, application, **d)):
        messages.success(request, _("Die Ausgabe ist erfasst."))
        return redirect("funding:expenses", slug)
    rows = Expense.objects.filter(application=application).select_related("municipality", "document").order_by("-receipt_number")
    if not viewer.all_cities:
        rows = rows.filter(municipality_id__in=viewer.own_city_ids)
    context = {
        "project": application.project,
        "application": application,
        "viewer": viewer,
        "form": form,
        "expenses": rows[:200],
        "count": rows.count(),
        "labels": {line.key: line.label for line in lines},
        "check_form": ExpenseCheckForm(),
    }
    return render(request, "funding/expenses.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def check_expense(request, slug, pk):
    expense, _viewer = get_expense_for_user(request.user, slug, pk, check=True)
    form = ExpenseCheckForm(request.POST)
    if _call(form, lambda d: actions.check_expense(request.user, expense, status=d["status"], note=d["note"])) is None:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    else:
        messages.success(request, _("Das Prüfergebnis ist vermerkt."))
    return redirect("funding:expenses", slug)


def _proof_context(proof: ProofOfUse, viewer) -> dict:
    application = proof.application
    data = figures.overview(application, None if viewer.all_cities else viewer.own_city_ids)
    return {
        "project": application.project,
        "application": application,
        "notice": getattr(application, "notice", None),
        "proof": proof,
        "viewer": viewer,
        "data": data,
        "today": timezone.localdate(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def proof(request, slug, pk):
    proof, viewer = get_proof_for_user(request.user, slug, pk)
    editable = viewer.check and proof.status in {ProofOfUse.Status.DRAFT, ProofOfUse.Status.REVIEWED}
    if request.method == "POST" and not editable:
        raise Http404
    initial = {"narrative": proof.narrative or actions.draft_narrative(proof), "version": proof.version}
    form = NarrativeForm(request.POST or None, initial=initial) if editable else None
    if request.method == "POST" and apply_edit(
        form, lambda d: actions.update_narrative(request.user, proof, d["version"], narrative=d["narrative"])
    ):
        messages.success(request, _("Der Sachbericht ist gespeichert."))
        return redirect(proof.get_absolute_url())
    context = _proof_context(proof, viewer)
    context |= {"form": form, "drafted": not proof.narrative, "status_form_date": timezone.localdate()}
    return render(request, "funding/proof.html", context, status=failed_status(form) if request.method == "POST" else 200)


@login_required
@require_POST
def proof_status(request, slug, pk):
    proof, viewer = get_proof_for_user(request.user, slug, pk, check=True)
    if proof.status == ProofOfUse.Status.SUBMITTED and not viewer.manage:
        raise Http404  # only the office records the funder's acceptance
    form = ProofStatusForm(request.POST)
    warnings: list[str] = []

    def write(data):
        warnings.extend(actions.set_proof_status(request.user, proof, data["version"], status=data["status"], on=data["on"]))

    if apply_edit(form, write):
        messages.success(request, _("Der Stand des Nachweises ist geändert."))
        for warning in warnings:
            messages.warning(request, warning)
    else:
        for error in form.non_field_errors() + [e for f in form for e in f.errors]:
            messages.error(request, error)
    return redirect(proof.get_absolute_url())


@login_required
def receipts_xlsx(request, slug, pk):
    proof, viewer = get_proof_for_user(request.user, slug, pk)
    if not viewer.all_cities:
        raise Http404
    header, rows = figures.receipt_rows(proof.application, proof)
    response = HttpResponse(
        to_xlsx(header, rows, title="Belegliste"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="belegliste-{proof.application.project.slug}-{proof.pk}.xlsx"'
    return response


@login_required
def proof_pdf(request, slug, pk):
    from monitoring.pdf import available, render_pdf

    proof, viewer = get_proof_for_user(request.user, slug, pk)
    if not viewer.all_cities or not available():
        raise Http404
    pdf = render_pdf("funding/proof_pdf.html", _proof_context(proof, viewer))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="nachweis-{proof.application.project.slug}-{proof.pk}.pdf"'
    return response


@login_required
def rule_list(request):
    if not sees_rules(request.user):
        raise Http404
    return render(request, "funding/rules.html", {"rules": Rule.objects.all()})
