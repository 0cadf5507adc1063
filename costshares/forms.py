"""Forms of the cost distribution. Amounts accept German notation (``2.000,50``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import DateInput, KernForm
from meetings.models import AgendaItem
from members.models import Body

from .allocation import AllocationError, parse_amount


class AmountField(forms.CharField):
    """A euro amount or a per-cent figure, typed with a decimal comma and thousands dots or not at all."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except AllocationError as error:
            raise ValidationError(str(error), code="amount") from None


class SettingForm(KernForm):
    year = forms.IntegerField(label=_("Haushaltsjahr"), min_value=2010, max_value=2100)
    budget = AmountField(label=_("Haushalt der Kooperation (€)"), help_text=_("z. B. 20.000,00"))
    equal_percent = AmountField(label=_("Anteil gleicher Beträge (%)"), initial="100")
    population_percent = AmountField(label=_("Anteil nach Einwohnerzahl (%)"), initial="0")
    staff_percent = AmountField(label=_("Anteil nach Beschäftigten (%)"), initial="0")
    key_date = forms.DateField(
        label=_("Stichtag der Kennzahlen"),
        widget=DateInput(),
        help_text=_("Es zählt je Stadt die neueste Zahl bis zu diesem Tag."),
    )
    cap = AmountField(label=_("Höchstbetrag je Stadt (€)"), required=False)
    floor = AmountField(label=_("Mindestbetrag je Stadt (€)"), required=False)
    due_date = forms.DateField(label=_("fällig am"), widget=DateInput())
    decision = forms.ModelChoiceField(
        label=_("Beschluss der Regiegruppe"),
        queryset=AgendaItem.objects.none(),
        required=False,
        help_text=_("Der Tagesordnungspunkt, unter dem die Regiegruppe die Festsetzung beschlossen hat."),
    )
    reason = forms.CharField(
        label=_("Begründung der Fassung"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        field.queryset = (
            AgendaItem.objects.filter(body__kind=Body.Kind.STEERING_GROUP, meeting__isnull=False)
            .select_related("meeting")
            .order_by("-meeting__start", "position")
        )
        field.label_from_instance = lambda item: f"{timezone.localtime(item.meeting.start):%d.%m.%Y} – {item.title}"
        field.widget.choices = field.choices


class PaymentForm(KernForm):
    amount = AmountField(label=_("Betrag (€)"), help_text=_("z. B. 2.000,00"))
    received_on = forms.DateField(label=_("eingegangen am"), widget=DateInput())
    reference = forms.CharField(label=_("Verwendungszweck"), required=False, max_length=200)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError(_("Ein Zahlungseingang ist größer als null."))
        return amount


class RecipientForm(KernForm):
    leitweg_id = forms.CharField(label=_("Leitweg-ID"), max_length=46, help_text=_("z. B. 05913000-12345-22"))
    department = forms.CharField(label=_("Stelle"), max_length=200, required=False)
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=200)
    postcode = forms.RegexField(
        label=_("Postleitzahl"), regex=r"^\d{5}$", error_messages={"invalid": _("Eine Postleitzahl hat fünf Ziffern.")}
    )
    city = forms.CharField(label=_("Ort"), max_length=100)

    def clean_leitweg_id(self):
        return self.cleaned_data["leitweg_id"].strip().upper()


class BudgetLineForm(KernForm):
    year = forms.IntegerField(label=_("Haushaltsjahr"), min_value=2010, max_value=2100)
    amount = AmountField(label=_("veranschlagter Betrag (€)"))
    decision_reference = forms.CharField(label=_("Ratsbeschluss (Drucksache)"), max_length=100)
    decision_date = forms.DateField(label=_("Datum des Beschlusses"), widget=DateInput(), required=False)
