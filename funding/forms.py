"""Forms of the funding cockpit. Amounts accept German notation (``1.234,56``)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from costshares.allocation import AllocationError, parse_amount
from costshares.forms import AmountField
from lib.concurrency import VersionField
from lib.forms import DateInput, KernForm
from members.models import Municipality

from .actions import LineInput
from .models import Expense, FundingType, GeneralConditions, PlanLine, Programme, ProofOfUse

KINDS = {
    "ausgabe": ("expense", ""),
    "zuwendung": ("income", PlanLine.IncomeType.GRANT),
    "eigenanteil": ("income", PlanLine.IncomeType.OWN_SHARE),
    "drittmittel": ("income", PlanLine.IncomeType.THIRD_PARTY),
}
KIND_WORD = {("expense", ""): "Ausgabe", **{v: k.title() for k, v in KINDS.items() if v[0] == "income"}}
PLAN_HELP = _lazy(
    "Eine Zeile je Position: Art; Kennung; Bezeichnung; Betrag; Stadt (nur beim Eigenanteil). "
    "Art ist Ausgabe, Zuwendung, Eigenanteil oder Drittmittel. Beispiel: „Ausgabe; personal; Personalausgaben; 96.000,00“ "
    "oder „Eigenanteil; eigenanteil-essen; Eigenanteil Essen; 5.600,00; Essen“."
)


def plan_as_text(lines) -> str:
    rows = []
    for line in lines:
        cells = [
            KIND_WORD[(line.kind, line.income_type)],
            line.key,
            line.label,
            f"{line.amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", "."),
        ]
        if line.municipality_id:
            cells.append(line.municipality.short_name)
        rows.append("; ".join(cells))
    return "\n".join(rows)


class PlanField(forms.CharField):
    """The financing plan as text, one position per line; every mistake is named with its line number."""

    widget = forms.Textarea(attrs={"rows": 12})

    def to_python(self, value):
        text = super().to_python(value)
        cities = {m.short_name.lower(): m for m in Municipality.objects.all()} | {m.slug: m for m in Municipality.objects.all()}
        lines, errors = [], []
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            cells = [cell.strip() for cell in raw.split(";")]
            if len(cells) < 4:
                errors.append(
                    _("Zeile %(n)s: Art, Kennung, Bezeichnung und Betrag sind durch Semikolon zu trennen.") % {"n": number}
                )
                continue
            kind = KINDS.get(cells[0].lower())
            if kind is None:
                errors.append(
                    _("Zeile %(n)s: „%(kind)s“ ist keine Art (Ausgabe, Zuwendung, Eigenanteil, Drittmittel).")
                    % {"n": number, "kind": cells[0]}
                )
                continue
            key = cells[1].lower()
            if not re.fullmatch(r"[a-z0-9-]{1,40}", key):
                errors.append(
                    _("Zeile %(n)s: Die Kennung besteht aus Kleinbuchstaben, Ziffern und Bindestrichen.") % {"n": number}
                )
                continue
            try:
                amount = parse_amount(cells[3])
            except AllocationError as error:
                errors.append(_("Zeile %(n)s: %(error)s") % {"n": number, "error": error})
                continue
            municipality = None
            if len(cells) > 4 and cells[4]:
                municipality = cities.get(cells[4].lower())
                if municipality is None:
                    errors.append(_("Zeile %(n)s: Die Stadt „%(city)s“ ist nicht bekannt.") % {"n": number, "city": cells[4]})
                    continue
            lines.append(LineInput(kind[0], key, cells[2][:200] or key, amount, kind[1], municipality))
        if errors:
            raise ValidationError(errors)
        return lines


class ProgrammeForm(KernForm):
    name = forms.CharField(label=_lazy("Name"), max_length=200)
    funder = forms.CharField(label=_lazy("Zuwendungsgeber"), max_length=200)
    guideline = forms.CharField(label=_lazy("Förderrichtlinie"), max_length=300)
    guideline_version = forms.CharField(label=_lazy("Fassung der Richtlinie"), max_length=100, required=False)
    guideline_date = forms.DateField(label=_lazy("Datum der Richtlinie"), widget=DateInput(), required=False)
    authority = forms.CharField(label=_lazy("Bewilligungsbehörde"), max_length=200)
    funding_type = forms.ChoiceField(label=_lazy("Finanzierungsart"), choices=FundingType.choices)


class ApplicationForm(KernForm):
    programme = forms.ModelChoiceField(label=_lazy("Förderprogramm"), queryset=Programme.objects.all())
    title = forms.CharField(label=_lazy("Titel des Antrags"), max_length=200)
    submitted_on = forms.DateField(label=_lazy("eingereicht am"), widget=DateInput(), required=False)
    reference = forms.CharField(label=_lazy("Aktenzeichen"), max_length=100, required=False)
    plan = PlanField(label=_lazy("Finanzierungsplan"), help_text=PLAN_HELP)


class PlanVersionForm(KernForm):
    plan = PlanField(label=_lazy("Finanzierungsplan"), help_text=PLAN_HELP)
    reason = forms.CharField(
        label=_lazy("Anlass der neuen Fassung"), max_length=300, help_text=_lazy("z. B. Änderungsantrag vom …")
    )


class NoticeForm(KernForm):
    date = forms.DateField(label=_lazy("Datum des Bescheids"), widget=DateInput())
    reference = forms.CharField(label=_lazy("Aktenzeichen des Bescheids"), max_length=100)
    period_start = forms.DateField(label=_lazy("Bewilligungszeitraum von"), widget=DateInput())
    period_end = forms.DateField(label=_lazy("Bewilligungszeitraum bis"), widget=DateInput())
    amount = AmountField(label=_lazy("bewilligter Betrag (€)"), help_text=_lazy("z. B. 112.000,00"))
    funding_type = forms.ChoiceField(label=_lazy("Finanzierungsart"), choices=FundingType.choices)
    funding_rate = AmountField(label=_lazy("Fördersatz (%)"), required=False)
    final_on = forms.DateField(label=_lazy("bestandskräftig seit"), widget=DateInput(), required=False)
    appeal_waived = forms.BooleanField(label=_lazy("Rechtsbehelfsverzicht erklärt"), required=False)
    general_conditions = forms.ChoiceField(label=_lazy("Nebenbestimmungen"), choices=GeneralConditions.choices)
    exclusions = forms.CharField(
        label=_lazy("Ausschlüsse laut Bescheid"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )
    interim_proof_months = forms.IntegerField(
        label=_lazy("Zwischennachweis: Monate nach jedem Kalenderjahr"), min_value=1, max_value=24, required=False
    )
    final_proof_months = forms.IntegerField(
        label=_lazy("Verwendungsnachweis: Monate nach dem Bewilligungszeitraum"), min_value=1, max_value=24, initial=6
    )
    condition_1 = forms.CharField(label=_lazy("Auflage 1"), max_length=300, required=False)
    condition_1_due = forms.DateField(label=_lazy("Auflage 1 fällig am"), widget=DateInput(), required=False)
    condition_2 = forms.CharField(label=_lazy("Auflage 2"), max_length=300, required=False)
    condition_2_due = forms.DateField(label=_lazy("Auflage 2 fällig am"), widget=DateInput(), required=False)
    condition_3 = forms.CharField(label=_lazy("Auflage 3"), max_length=300, required=False)
    condition_3_due = forms.DateField(label=_lazy("Auflage 3 fällig am"), widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("Der Bewilligungszeitraum endet vor seinem Beginn."))
        if data.get("amount") is not None and data["amount"] <= 0:
            self.add_error("amount", _("Der bewilligte Betrag ist größer als null."))
        return data

    def notice_fields(self) -> dict:
        data = dict(self.cleaned_data)
        conditions = [{"title": data.pop(f"condition_{i}"), "due_date": data.pop(f"condition_{i}_due")} for i in (1, 2, 3)]
        data["conditions"] = [c for c in conditions if c["title"]]
        return data


class ObligationDoneForm(KernForm):
    done_on = forms.DateField(label=_lazy("erfüllt am"), widget=DateInput())
    evidence = forms.ModelChoiceField(label=_lazy("Nachweis (Dokument)"), queryset=None, required=False)

    def __init__(self, *args, workspace, **kwargs):
        from documents.models import Document

        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = Document.objects.filter(workspace=workspace, trashed_at__isnull=True)


class ExpectedPaymentForm(KernForm):
    due_on = forms.DateField(label=_lazy("fällig am"), widget=DateInput())
    amount = AmountField(label=_lazy("Betrag (€)"))
    description = forms.CharField(label=_lazy("Zweck"), max_length=200)


class PaymentRequestForm(KernForm):
    requested_on = forms.DateField(label=_lazy("abrufen am"), widget=DateInput())
    amount = AmountField(label=_lazy("Betrag (€)"), help_text=_lazy("z. B. 12.500,00"))
    override_reason = forms.CharField(
        label=_lazy("Begründung, falls mehr als nach der Zwei-Monats-Regel zulässig"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ReceivedForm(KernForm):
    received_on = forms.DateField(label=_lazy("eingegangen am"), widget=DateInput())


class ForwardingForm(KernForm):
    municipality = forms.ModelChoiceField(label=_lazy("Partnerstadt"), queryset=Municipality.objects.none())
    amount = AmountField(label=_lazy("Betrag (€)"))
    forwarded_on = forms.DateField(label=_lazy("weitergeleitet am"), widget=DateInput())
    reference = forms.CharField(label=_lazy("Verwendungszweck"), max_length=200, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(project_partnerships__project=project).exclude(
            pk=project.lead_municipality_id
        )


class ExpenseForm(KernForm):
    line_key = forms.ChoiceField(label=_lazy("Ausgabenposition"))
    municipality = forms.ModelChoiceField(label=_lazy("Stadt"), queryset=Municipality.objects.none())
    paid_on = forms.DateField(label=_lazy("bezahlt am"), widget=DateInput())
    payee = forms.CharField(label=_lazy("Empfänger"), max_length=200)
    description = forms.CharField(label=_lazy("Grund der Zahlung"), max_length=300)
    net = AmountField(label=_lazy("netto (€)"), help_text=_lazy("z. B. 1.234,56"))
    vat = AmountField(label=_lazy("Umsatzsteuer (€)"), required=False)
    input_tax_deductible = forms.BooleanField(label=_lazy("vorsteuerabzugsberechtigt (es zählt der Nettobetrag)"), required=False)
    document = forms.ModelChoiceField(label=_lazy("Beleg (Dokument im Arbeitsbereich)"), queryset=None, required=False)

    def __init__(self, *args, lines, city_ids, workspace, **kwargs):
        from documents.models import Document

        super().__init__(*args, **kwargs)
        self.fields["line_key"].choices = [(line.key, line.label) for line in lines]
        self.fields["municipality"].queryset = Municipality.objects.filter(pk__in=city_ids).order_by("name")
        self.fields["document"].queryset = Document.objects.filter(workspace=workspace, trashed_at__isnull=True)

    def clean_vat(self):
        return self.cleaned_data.get("vat") or Decimal("0.00")


class ExpenseCheckForm(KernForm):
    status = forms.ChoiceField(label=_lazy("Ergebnis"), choices=Expense.Status.choices)
    note = forms.CharField(label=_lazy("Prüfvermerk"), max_length=300, required=False)


class NarrativeForm(KernForm):
    narrative = forms.CharField(
        label=_lazy("Sachbericht"), widget=forms.Textarea(attrs={"rows": 18}), max_length=50_000, required=False
    )
    version = VersionField()


class ProofStatusForm(KernForm):
    status = forms.ChoiceField(choices=ProofOfUse.Status.choices, widget=forms.HiddenInput)
    on = forms.DateField(label=_lazy("Datum"), widget=DateInput())
    version = VersionField()
