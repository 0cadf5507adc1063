"""Forms of the monitoring: survey pages, code entry, imports and the office's management."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lib.forms import ChoiceGroupField, DateInput, KernForm, KernModelForm
from members.models import Municipality

from .models import MonitoringAccess, SurveyRound, Wave
from .questionnaire import Page, validate_local_items

MISSING_ANSWER = _("Bitte wählen Sie eine Antwort aus – wenn Sie nicht antworten möchten, „keine Angabe“.")


class CodeForm(KernForm):
    code = forms.CharField(
        label=_("Zugangscode"),
        max_length=40,
        help_text=_("Sie finden ihn in Ihrem Anschreiben, z. B. ABCD-EFGH-JKLM. Groß- und Kleinschreibung spielen keine Rolle."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Bitte geben Sie Ihren Zugangscode ein.")},
    )


def page_form_class(page: Page, answers: dict[str, str]) -> type[KernForm]:
    """A form with one radio group per item of ``page`` that the answers so far route to."""
    items = page.asked_items(answers)
    if page.key == "local":  # a city's own items: plain strings that differ between waves
        key = (page.key, tuple((item.key, item.text, item.choices) for item in items))
    else:  # core pages are module constants per version; their lazy labels translate when rendered
        key = (id(page), tuple(item.key for item in items))
    if key not in _FORM_CLASSES:
        _FORM_CLASSES[key] = _build_form_class(items)
    return _FORM_CLASSES[key]


_FORM_CLASSES: dict[tuple, type[KernForm]] = {}


def _build_form_class(items) -> type[KernForm]:
    fields: dict[str, forms.Field] = {}
    for item in items:
        fields[item.key] = forms.ChoiceField(
            label=item.text,
            choices=item.choices,
            help_text=item.hint,
            widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
            error_messages={"required": MISSING_ANSWER, "invalid_choice": MISSING_ANSWER},
            bound_field_class=ChoiceGroupField,
        )
    return type("SurveyPageForm", (SurveyPageForm,), fields)


class SurveyPageForm(KernForm):
    hide_optional_marks = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("aria-required", None)  # not allowed on single radios; `required` says it


class RoundForm(KernModelForm):
    class Meta:
        model = SurveyRound
        fields = ["name", "slug", "questionnaire", "min_cell_size", "weighting", "previous"]


class WaveForm(KernModelForm):
    local_items_json = forms.CharField(
        label=_("Eigene Fragen der Stadt (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            'Optional. Beispiel: [{"key": "fortbildung", "text": "Haben Sie an einer interkulturellen Fortbildung '
            'teilgenommen?", "choices": [["ja", "ja"], ["nein", "nein"]]}]. „keine Angabe“ wird immer ergänzt.'
        ),
    )
    open_link = forms.BooleanField(
        label=_("Offenen Link anbieten (schwächere Variante ohne Codes)"),
        required=False,
        help_text=_(
            "Jede Person mit dem Link kann antworten, auch mehrfach. Nur nutzen, wenn Briefe mit Codes nicht möglich sind."
        ),
    )

    class Meta:
        model = Wave
        fields = ["municipality", "fielding_start", "fielding_end"]
        widgets = {"fielding_start": DateInput(), "fielding_end": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["local_items_json"].initial = (
                json.dumps(self.instance.local_items, ensure_ascii=False) if self.instance.local_items else ""
            )
            self.fields["open_link"].initial = bool(self.instance.open_link_token)
            if self.instance.status != Wave.Status.DRAFT:
                self.fields["local_items_json"].disabled = True
                self.fields["municipality"].disabled = True

    def clean_local_items_json(self):
        raw = (self.cleaned_data.get("local_items_json") or "").strip()
        if not raw:
            return []
        try:
            items = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("Das ist kein gültiges JSON.")) from None
        problems = validate_local_items(items)
        if problems:
            raise forms.ValidationError(problems)
        return items


class CodeBatchForm(KernForm):
    count = forms.IntegerField(
        label=_("Anzahl neuer Codes"),
        min_value=1,
        max_value=20000,
        help_text=_("Die Codes werden nur jetzt einmal ausgegeben; gespeichert wird nur ein Prüfwert. Bitte sicher aufbewahren."),
    )
    output = forms.ChoiceField(
        label=_("Ausgabe"),
        choices=[("pdf", _("PDF: ein Anschreiben je Seite zum Drucken")), ("csv", _("CSV für den Serienbrief"))],
        widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
        initial="pdf",
    )


class ImportForm(KernForm):
    file = forms.FileField(
        label=_("CSV-Datei"),
        help_text=_("UTF-8 (mit oder ohne BOM) oder Windows-1252; Trennzeichen Semikolon oder Komma; Dezimalkomma erlaubt."),
    )


class AccessGrantForm(KernForm):
    email = forms.EmailField(label=_("E-Mail-Adresse des Kontos"))
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.all())
    function = forms.ChoiceField(label=_("Funktion"), choices=MonitoringAccess.Function.choices)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Zu dieser Adresse gibt es kein aktives Konto. Laden Sie die Person zuerst ein."))
        self.user = user
        return email
