"""Every write of the funding cockpit, each audited and all-or-nothing; the rules of ``rules.py`` judge them.

A refused write raises ``ValidationError`` with the rule's German explanation and saves nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_office
from audit.actions import record, snapshot
from lib.concurrency import save_versioned

from . import rules
from .models import (
    ZERO,
    Application,
    ExpectedPayment,
    Expense,
    Forwarding,
    LineKind,
    Notice,
    Obligation,
    PaymentRequest,
    PlanLine,
    PlanVersion,
    Programme,
    ProofOfUse,
    Rule,
)


def rule_row(code: str, on: dt.date | None = None) -> Rule:
    """The version of a rule in force on ``on`` (today if None): the newest one valid from that day or before."""
    on = on or timezone.localdate()
    row = Rule.objects.filter(code=code, valid_from__lte=on).order_by("-valid_from", "-pk").first()
    if row is None and not Rule.objects.exists():
        # The shipped wording (data migration 0002) was flushed, e.g. by a test database reset: seed it again.
        from django.apps import apps as global_apps

        importlib.import_module("funding.migrations.0002_seed_rules_nrw_2022").seed(global_apps, None)
        return rule_row(code, on)
    if row is None:
        row = Rule.objects.filter(code=code).order_by("valid_from", "pk").first()
    if row is None:
        raise LookupError(f"funding rule {code!r} is not seeded")
    return row


def rule_version(code: str, on: dt.date | None = None) -> rules.RuleVersion:
    row = rule_row(code, on)
    return rules.RuleVersion(row.code, row.version, row.source, row.parameters)


def _refuse(findings: list[rules.Finding]) -> None:
    errors = [f.message for f in findings if f.is_error]
    if errors:
        raise ValidationError(errors)


# --- Programmes and applications --------------------------------------------------------------------------------


@transaction.atomic
def create_programme(actor, **fields) -> Programme:
    programme = Programme(**fields)
    programme.full_clean()
    programme.save()
    record(actor, "funding.programme_created", programme, after=snapshot(programme))
    return programme


@dataclass(frozen=True)
class LineInput:
    kind: str
    key: str
    label: str
    amount: Decimal
    income_type: str = ""
    municipality: object = None


def _plan_totals(lines: list[LineInput]) -> tuple[Decimal, Decimal]:
    expenses = sum((line.amount for line in lines if line.kind == LineKind.EXPENSE), ZERO)
    income = sum((line.amount for line in lines if line.kind == LineKind.INCOME), ZERO)
    return expenses, income


def _check_lines(lines: list[LineInput], on: dt.date) -> None:
    if not any(line.kind == LineKind.EXPENSE for line in lines):
        raise ValidationError(_("Ein Finanzierungsplan braucht mindestens eine Ausgabenposition."))
    seen = set()
    for line in lines:
        if line.amount != line.amount.quantize(rules.CENT):
            raise ValidationError(_("Beträge lauten auf volle Cent („%(label)s“).") % {"label": line.label})
        if line.amount < 0:
            raise ValidationError(_("Beträge im Finanzierungsplan sind nicht negativ („%(label)s“).") % {"label": line.label})
        if line.kind == LineKind.INCOME and not line.income_type:
            raise ValidationError(_("Bei jeder Einnahme ist die Art anzugeben („%(label)s“).") % {"label": line.label})
        if (line.kind, line.key) in seen:
            raise ValidationError(_("Die Kennung „%(key)s“ kommt im Plan doppelt vor.") % {"key": line.key})
        seen.add((line.kind, line.key))
    expenses, income = _plan_totals(lines)
    _refuse(rules.check_plan_balanced(rule_version(rules.PLAN_BALANCED, on), expenses=expenses, income=income))


def _store_plan(actor, application: Application, lines: list[LineInput], reason: str) -> PlanVersion:
    PlanVersion.objects.select_for_update().filter(application=application).exists()
    number = (application.plan_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    plan = PlanVersion.objects.create(application=application, number=number, reason=reason, created_by=actor)
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan,
            position=i,
            kind=line.kind,
            income_type=line.income_type if line.kind == LineKind.INCOME else "",
            key=line.key,
            label=line.label,
            municipality=line.municipality,
            amount=line.amount,
        )
        for i, line in enumerate(lines)
    )
    record(
        actor,
        "funding.plan_version_created",
        plan,
        after={
            "number": number,
            "reason": reason,
            "lines": [
                [line.kind, line.income_type, line.key, str(line.amount), getattr(line.municipality, "pk", None)]
                for line in lines
            ],
        },
    )
    return plan


@transaction.atomic
def create_application(
    actor, *, project, programme: Programme, title: str, lines: list[LineInput], submitted_on=None, reference: str = ""
) -> Application:
    """An application with the first version of its financing plan (refused whole if the plan does not balance)."""
    _check_lines(lines, submitted_on or timezone.localdate())
    application = Application(
        project=project,
        programme=programme,
        title=title,
        submitted_on=submitted_on,
        reference=reference,
        status=Application.Status.SUBMITTED if submitted_on else Application.Status.DRAFT,
        created_by=actor,
    )
    application.full_clean()
    application.save()
    record(actor, "funding.application_created", application, after=snapshot(application))
    _store_plan(actor, application, lines, _("Antrag"))
    return application


@transaction.atomic
def submit_application(actor, application: Application, expected_version: int, *, submitted_on: dt.date, reference: str) -> None:
    before = snapshot(application)
    application.submitted_on = submitted_on
    application.reference = reference
    if application.status == Application.Status.DRAFT:
        application.status = Application.Status.SUBMITTED
    save_versioned(application, expected_version)
    record(actor, "funding.application_submitted", application, before=before, after=snapshot(application))


@transaction.atomic
def new_plan_version(actor, application: Application, lines: list[LineInput], *, reason: str) -> PlanVersion:
    """A changed financing plan (e.g. after an Änderungsantrag): a new version; earlier versions stay."""
    if not reason.strip():
        raise ValidationError(_("Bitte nennen Sie den Anlass der neuen Fassung."))
    _check_lines(lines, timezone.localdate())
    return _store_plan(actor, application, lines, reason)


def current_plan(application: Application) -> PlanVersion | None:
    return application.plan_versions.order_by("-number").first()


# --- The notice and its conditions ------------------------------------------------------------------------------


@transaction.atomic
def record_notice(actor, application: Application, *, conditions: list[dict] = (), **fields) -> Notice:  # type: ignore[assignment]
    """The approval notice, its conditions as tracked obligations (each with a task) and the proof deadlines."""
    if hasattr(application, "notice"):
        raise ValidationError(_("Zu diesem Antrag ist bereits ein Bescheid erfasst."))
    notice = Notice(application=application, **fields)
    notice.full_clean(exclude=["application"])
    if notice.period_end < notice.period_start:
        raise ValidationError(_("Der Bewilligungszeitraum endet vor seinem Beginn."))
    notice.save()
    application.status = Application.Status.APPROVED
    application.save(update_fields=["status", "modified"])
    record(actor, "funding.notice_recorded", notice, after=snapshot(notice))
    for condition in conditions:
        add_obligation(actor, notice, **condition)
    _schedule_proofs(actor, notice)
    return notice


def _task(actor, application: Application, *, title: str, description: str, due_date, assignees=(), source=None):
    from tasks.actions import create_task

    return create_task(
        actor,
        application.project.workspace,
        title=title[:200],
        description=description,
        due_date=due_date,
        assignees=[user for user in assignees if user is not None],
        source=source,
        allow_past_due=True,
    )


def _schedule_proofs(actor, notice: Notice) -> None:
    """One proof of use per deadline the notice sets, each with a task (its due date feeds calendar and reminders)."""
    for deadline in rules.proof_deadlines(
        period_start=notice.period_start,
        period_end=notice.period_end,
        interim_months=notice.interim_proof_months,
        final_months=notice.final_proof_months,
    ):
        proof = ProofOfUse.objects.create(
            application=notice.application,
            kind=deadline.kind,
            period_start=deadline.period_start,
            period_end=deadline.period_end,
            due_on=deadline.due_on,
        )
        proof.task = _task(
            actor,
            notice.application,
            title=_("%(kind)s vorlegen: %(title)s") % {"kind": proof.get_kind_display(), "title": notice.application.title},
            description=_("Frist aus dem Zuwendungsbescheid %(reference)s; Zeitraum %(start)s bis %(end)s.")
            % {"reference": notice.reference, "start": f"{proof.period_start:%d.%m.%Y}", "end": f"{proof.period_end:%d.%m.%Y}"},
            due_date=proof.due_on,
            source=proof,
        )
        proof.save(update_fields=["task"])
        record(actor, "funding.proof_scheduled", proof, after=snapshot(proof))


@transaction.atomic
def update_notice(actor, notice: Notice, expected_version: int, **fields) -> Notice:
    """Correct a notice (e.g. the date it became final); the proof deadlines of open proofs follow its fields."""
    before = snapshot(notice)
    for name, value in fields.items():
        setattr(notice, name, value)
    notice.full_clean(exclude=["application"])
    save_versioned(notice, expected_version)
    for deadline in rules.proof_deadlines(
        period_start=notice.period_start,
        period_end=notice.period_end,
        interim_months=notice.interim_proof_months,
        final_months=notice.final_proof_months,
    ):
        ProofOfUse.objects.filter(
            application=notice.application, kind=deadline.kind, period_end=deadline.period_end, status=ProofOfUse.Status.DRAFT
        ).update(due_on=deadline.due_on)
    record(actor, "funding.notice_updated", notice, before=before, after=snapshot(notice))
    return notice


@transaction.atomic
def add_obligation(actor, notice: Notice, *, title: str, owner=None, due_date: dt.date | None = None) -> Obligation:
    obligation = Obligation(notice=notice, title=title, owner=owner, due_date=due_date)
    obligation.full_clean(exclude=["notice"])
    obligation.save()
    obligation.task = _task(
        actor,
        notice.application,
        title=_("Auflage: %(title)s") % {"title": title},
        description=_("Auflage aus dem Zuwendungsbescheid %(reference)s.") % {"reference": notice.reference},
        due_date=due_date,
        assignees=[owner],
        source=obligation,
    )
    obligation.save(update_fields=["task"])
    record(actor, "funding.obligation_added", obligation, after=snapshot(obligation))
    return obligation


@transaction.atomic
def fulfil_obligation(actor, obligation: Obligation, *, done_on: dt.date, evidence=None) -> Obligation:
    """Mark a condition as met, with the document that proves it; its task is done too."""
    from tasks.actions import set_status
    from tasks.models import Task

    if evidence is not None and evidence.workspace_id != obligation.notice.application.project.workspace_id:
        raise ValidationError(_("Der Nachweis muss ein Dokument aus dem Arbeitsbereich des Projekts sein."))
    before = snapshot(obligation)
    obligation.done_on = done_on
    obligation.evidence = evidence
    obligation.save(update_fields=["done_on", "evidence", "modified"])
    if obligation.task is not None and obligation.task.status != Task.Status.DONE:
        set_status(actor, obligation.task, obligation.task.version, Task.Status.DONE)
    record(actor, "funding.obligation_fulfilled", obligation, before=before, after=snapshot(obligation))
    return obligation


# --- Money -------------------------------------------------------------------------------------------------------


@transaction.atomic
def add_expected_payment(actor, application: Application, *, due_on: dt.date, amount: Decimal, description: str):
    payment = ExpectedPayment(application=application, due_on=due_on, amount=amount, description=description)
    payment.full_clean(exclude=["application"])
    if amount <= 0:
        raise ValidationError(_("Eine erwartete Zahlung ist größer als null."))
    payment.save()
    record(actor, "funding.expected_payment_added", payment, after=snapshot(payment))
    return payment


def grant_ratio(application: Application) -> Fraction:
    """The grant's share of the planned expenses (what part of every payment the grant carries)."""
    plan = current_plan(application)
    if plan is None:
        return Fraction(0)
    sums = {
        (row["kind"], row["income_type"]): row["total"]
        for row in plan.lines.values("kind", "income_type").annotate(total=Sum("amount"))
    }
    expenses = sum((v for (kind, _t), v in sums.items() if kind == LineKind.EXPENSE), ZERO)
    grant = sums.get((LineKind.INCOME, PlanLine.IncomeType.GRANT), ZERO)
    if hasattr(application, "notice"):
        grant = min(grant, application.notice.amount) if grant else application.notice.amount
    return Fraction(grant) / Fraction(expenses) if expenses else Fraction(0)


def unspent_grant(application: Application, ratio: Fraction | None = None) -> Decimal:
    """Grant money requested so far minus the grant's part of the expenses recorded (not yet spent, may lie idle)."""
    ratio = grant_ratio(application) if ratio is None else ratio
    requested = application.payment_requests.aggregate(s=Sum("amount"))["s"] or ZERO
    spent = application.expenses.exclude(status=Expense.Status.REJECTED).aggregate(s=Sum("eligible"))["s"] or ZERO
    spent_grant = rules.part_of(spent, ratio)
    return requested - spent_grant


def tranche_plan(application: Application, on: dt.date) -> rules.TranchePlan:
    ratio = grant_ratio(application)
    return rules.plan_tranche(
        rule_version(rules.TWO_MONTHS, on),
        requested_on=on,
        expected=list(application.expected_payments.values_list("due_on", "amount")),
        grant_ratio=ratio,
        unspent=unspent_grant(application, ratio),
    )


@dataclass
class RequestOutcome:
    request: PaymentRequest
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def request_payment(
    actor, application: Application, *, requested_on: dt.date, amount: Decimal, override_reason: str = ""
) -> RequestOutcome:
    """A tranche: refused beyond the two-month rule unless the office records a justification; never before the
    notice is final. Warnings (idle money, a justified excess) come back with the saved request."""
    notice = getattr(application, "notice", None)
    if notice is None:
        raise ValidationError(_("Mittel können erst nach dem Zuwendungsbescheid abgerufen werden."))
    Application.objects.select_for_update().filter(pk=application.pk).exists()
    final_rule = rule_version(rules.PAYMENT_AFTER_FINAL, requested_on)
    _refuse(
        rules.check_notice_final(
            final_rule, requested_on=requested_on, final_on=notice.final_on, appeal_waived=notice.appeal_waived
        )
    )
    already = application.payment_requests.aggregate(s=Sum("amount"))["s"] or ZERO
    if already + amount > notice.amount:
        raise ValidationError(
            _("Mit diesem Abruf würden %(total)s abgerufen, bewilligt sind %(granted)s.")
            % {"total": rules.euro(already + amount), "granted": rules.euro(notice.amount)}
        )
    plan = tranche_plan(application, requested_on)
    version = rule_version(rules.TWO_MONTHS, requested_on)
    findings = rules.check_payment_request(version, plan, amount, override_reason=override_reason, may_override=is_office(actor))
    _refuse(findings)
    number = (application.payment_requests.aggregate(n=Max("number"))["n"] or 0) + 1
    request = PaymentRequest.objects.create(
        application=application,
        number=number,
        requested_on=requested_on,
        amount=amount,
        allowed=plan.allowed,
        covers_until=plan.covers_until,
        rule=rule_row(rules.TWO_MONTHS, requested_on),
        override_reason=override_reason.strip() if amount > plan.allowed else "",
        created_by=actor,
    )
    record(actor, "funding.payment_requested", request, after=snapshot(request))
    return RequestOutcome(request, [f.message for f in findings if not f.is_error])


@transaction.atomic
def mark_payment_received(actor, request: PaymentRequest, *, received_on: dt.date) -> None:
    before = snapshot(request)
    request.received_on = received_on
    request.save(update_fields=["received_on", "modified"])
    record(actor, "funding.payment_received", request, before=before, after=snapshot(request))


@transaction.atomic
def forward(actor, application: Application, *, municipality, amount: Decimal, forwarded_on: dt.date, reference: str = ""):
    """The lead city forwards part of the received grant to a partner city (never more than it received)."""
    if municipality.pk not in application.project.city_ids() or municipality.pk == application.project.lead_municipality_id:
        raise ValidationError(_("Weitergeleitet wird nur an Partnerstädte des Projekts."))
    if amount <= 0:
        raise ValidationError(_("Eine Weiterleitung ist größer als null."))
    Application.objects.select_for_update().filter(pk=application.pk).exists()
    received = application.payment_requests.filter(received_on__isnull=False).aggregate(s=Sum("amount"))["s"] or ZERO
    forwarded = application.forwardings.aggregate(s=Sum("amount"))["s"] or ZERO
    if forwarded + amount > received:
        raise ValidationError(
            _(
                "Weitergeleitet werden kann nur, was eingegangen ist: eingegangen %(received)s, bereits weitergeleitet %(forwarded)s."
            )
            % {"received": rules.euro(received), "forwarded": rules.euro(forwarded)}
        )
    row = Forwarding.objects.create(
        application=application,
        municipality=municipality,
        amount=amount,
        forwarded_on=forwarded_on,
        reference=reference,
        created_by=actor,
    )
    record(actor, "funding.forwarded", row, after=snapshot(row))
    return row


@transaction.atomic
def record_expense(
    actor,
    application: Application,
    *,
    line_key: str,
    municipality,
    paid_on: dt.date,
    payee: str,
    description: str,
    net: Decimal,
    vat: Decimal = ZERO,
    input_tax_deductible: bool = False,
    document=None,
) -> Expense:
    """An expense with its receipt: only on a line of the current plan, only within the approval period."""
    notice = getattr(application, "notice", None)
    if notice is None:
        raise ValidationError(_("Ausgaben werden erst nach dem Zuwendungsbescheid erfasst."))
    if municipality.pk not in application.project.city_ids():
        raise ValidationError(_("Die Stadt ist nicht am Projekt beteiligt."))
    plan = current_plan(application)
    if plan is None or not plan.lines.filter(kind=LineKind.EXPENSE, key=line_key).exists():
        raise ValidationError({"line_key": _("Diese Ausgabenposition steht nicht im Finanzierungsplan.")})
    if net <= 0 or vat < 0:
        raise ValidationError(_("Der Nettobetrag ist größer als null, die Umsatzsteuer nicht negativ."))
    _refuse(
        rules.check_in_period(
            rule_version(rules.APPROVAL_PERIOD, paid_on), paid_on=paid_on, start=notice.period_start, end=notice.period_end
        )
    )
    if document is not None and document.workspace_id != application.project.workspace_id:
        raise ValidationError(_("Der Beleg muss ein Dokument aus dem Arbeitsbereich des Projekts sein."))
    Application.objects.select_for_update().filter(pk=application.pk).exists()
    number = (application.expenses.aggregate(n=Max("receipt_number"))["n"] or 0) + 1
    expense = Expense(
        application=application,
        receipt_number=number,
        line_key=line_key,
        municipality=municipality,
        paid_on=paid_on,
        payee=payee,
        description=description,
        net=net,
        vat=vat,
        input_tax_deductible=input_tax_deductible,
        eligible=rules.eligible_amount(net=net, vat=vat, input_tax_deductible=input_tax_deductible),
        document=document,
        recorded_by=actor,
    )
    expense.full_clean(exclude=["application", "municipality", "document", "recorded_by"])
    expense.save()
    record(actor, "funding.expense_recorded", expense, after=snapshot(expense))
    return expense


@transaction.atomic
def check_expense(actor, expense: Expense, *, status: str, note: str = "") -> Expense:
    """The lead city (or the office) checks a partner's expense: accepted, or not with a note."""
    if status not in Expense.Status.values:
        raise ValidationError(_("Unbekanntes Prüfergebnis."))
    if status == Expense.Status.REJECTED and not note.strip():
        raise ValidationError({"note": _("Bitte begründen Sie, warum die Ausgabe nicht anerkannt wird.")})
    before = snapshot(expense)
    expense.status = status
    expense.check_note = note.strip()
    expense.save(update_fields=["status", "check_note", "modified"])
    record(actor, "funding.expense_checked", expense, before=before, after=snapshot(expense))
    return expense


# --- Proof of use ------------------------------------------------------------------------------------------------


@transaction.atomic
def update_narrative(actor, proof: ProofOfUse, expected_version: int, *, narrative: str) -> ProofOfUse:
    if proof.status in {ProofOfUse.Status.SUBMITTED, ProofOfUse.Status.ACCEPTED}:
        raise ValidationError(_("Ein eingereichter Nachweis wird nicht mehr geändert."))
    before = snapshot(proof)
    proof.narrative = narrative
    save_versioned(proof, expected_version, fields=["narrative"])
    record(actor, "funding.narrative_updated", proof, before=before, after=snapshot(proof))
    return proof


_NEXT = {
    ProofOfUse.Status.DRAFT: {ProofOfUse.Status.REVIEWED},
    ProofOfUse.Status.REVIEWED: {ProofOfUse.Status.DRAFT, ProofOfUse.Status.SUBMITTED},
    ProofOfUse.Status.SUBMITTED: {ProofOfUse.Status.ACCEPTED},
    ProofOfUse.Status.ACCEPTED: set(),
}


@transaction.atomic
def set_proof_status(actor, proof: ProofOfUse, expected_version: int, *, status: str, on: dt.date) -> list[str]:
    """Draft → reviewed → submitted → accepted. Submitting after the deadline is allowed and flagged; the
    receipts' retention end follows from the submission date. Returns the warnings."""
    from tasks.actions import set_status
    from tasks.models import Task

    if status not in _NEXT.get(proof.status, set()):
        raise ValidationError(
            _("Dieser Schritt ist beim Stand „%(status)s“ nicht möglich.") % {"status": proof.get_status_display()}
        )
    warnings: list[str] = []
    before = snapshot(proof)
    proof.status = status
    if status == ProofOfUse.Status.SUBMITTED:
        if not proof.narrative.strip():
            raise ValidationError(_("Bitte schreiben Sie den Sachbericht, bevor Sie den Nachweis einreichen."))
        proof.submitted_on = on
        proof.retention_until = rules.retention_end(rule_version(rules.RECEIPT_RETENTION, on), on)
        warnings = [
            f.message for f in rules.late_finding(rule_version(rules.PROOF_DEADLINE, on), due_on=proof.due_on, submitted_on=on)
        ]
    if status == ProofOfUse.Status.ACCEPTED:
        proof.accepted_on = on
    save_versioned(proof, expected_version, fields=["status", "submitted_on", "retention_until", "accepted_on"])
    if status == ProofOfUse.Status.SUBMITTED and proof.task is not None and proof.task.status != Task.Status.DONE:
        set_status(actor, proof.task, proof.task.version, Task.Status.DONE)
    record(actor, "funding.proof_status", proof, before=before, after={**snapshot(proof), "late": proof.is_late})
    return warnings


def draft_narrative(proof: ProofOfUse) -> str:
    """A first draft of the narrative report from what the platform knows of the period (editable afterwards)."""
    from calendar_events.models import Event
    from documents.models import Document
    from monitoring.models import Wave
    from news.models import Post

    application = proof.application
    project = application.project
    workspace = project.workspace
    start = dt.datetime.combine(proof.period_start, dt.time.min, tzinfo=timezone.get_current_timezone())
    end = dt.datetime.combine(proof.period_end, dt.time.max, tzinfo=timezone.get_current_timezone())
    events = list(Event.objects.filter(workspace=workspace, starts_at__range=(start, end)).order_by("starts_at")[:200])
    posts = list(Post.objects.filter(workspace=workspace, published_at__range=(start, end)).order_by("published_at")[:100])
    publications = list(
        Document.objects.filter(workspace=workspace, is_public=True, published_at__range=(start, end)).order_by("published_at")[
            :100
        ]
    )
    partners = list(project.partners.select_related("municipality"))
    cities = ", ".join(str(p.municipality) for p in partners)
    decisions = list(
        project.decision_links.filter(decision__agenda_item__meeting__start__range=(start, end))
        .select_related("decision__agenda_item__meeting__body")
        .order_by("decision__agenda_item__meeting__start")
    )
    waves = list(
        Wave.objects.filter(
            municipality_id__in=[p.municipality_id for p in partners] or [project.lead_municipality_id],
            status=Wave.Status.RELEASED,
            fielding_end__range=(proof.period_start, proof.period_end),
        )
        .select_related("municipality", "round")
        .order_by("fielding_end", "municipality__name")
    )
    parts = [
        "## " + _("Ziele und Verlauf"),
        _("Das Projekt „%(title)s“ unter Federführung von %(lead)s mit %(cities)s im Zeitraum %(start)s bis %(end)s.")
        % {
            "title": project.title,
            "lead": project.lead_municipality,
            "cities": cities or _("den Partnerstädten"),
            "start": f"{proof.period_start:%d.%m.%Y}",
            "end": f"{proof.period_end:%d.%m.%Y}",
        },
        "",
        "## " + _("Beschlüsse der Gremien zum Projekt (%(count)s)") % {"count": len(decisions)},
        *[
            f"- {timezone.localtime(link.decision.agenda_item.meeting.start):%d.%m.%Y}, "
            f"{link.decision.agenda_item.meeting.body}: {link.decision.text}"
            for link in decisions
        ],
        "",
        "## " + _("Termine und Veranstaltungen (%(count)s)") % {"count": len(events)},
        *[f"- {timezone.localtime(e.starts_at):%d.%m.%Y}: {e.title}" for e in events],
        "",
        "## " + _("Veröffentlichungen (%(count)s)") % {"count": len(publications)},
        *[f"- {timezone.localtime(d.published_at):%d.%m.%Y}: {d.title}" for d in publications],
        "",
        "## " + _("Berichte aus dem Projekt (%(count)s)") % {"count": len(posts)},
        *[f"- {timezone.localtime(p.published_at):%d.%m.%Y}: {p.title}" for p in posts],
        "",
        "## " + _("Beschäftigtenbefragung der Partnerstädte (freigegebene Wellen, %(count)s)") % {"count": len(waves)},
        *[f"- {w.municipality}: {w.round} ({w.fielding_start:%d.%m.%Y} bis {w.fielding_end:%d.%m.%Y})" for w in waves],
        "",
        "## " + _("Ergebnisse und Abweichungen vom Plan"),
        _("(Bitte ergänzen.)"),
    ]
    return "\n".join(parts)
