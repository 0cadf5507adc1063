from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField
from lib.forms import DateInput, KernFormMixin
from members.models import Body, Municipality, Person

from .models import Decision, Location, Reply

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def _dt_field(label):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Bitte geben Sie Datum und Uhrzeit an."),
            "invalid": _("Bitte geben Sie Datum und Uhrzeit vollständig an."),
        },
    )


class MeetingForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, error_messages={"required": _("Bitte geben Sie einen Titel an.")})
    start = _dt_field(_("Beginn"))
    end = _dt_field(_("Ende"))
    host_municipality = forms.ModelChoiceField(
        label=_("Gastgeberstadt"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Leer lassen: Die Rotation schlägt die Stadt vor, die am längsten nicht Gastgeberin war."),
    )
    location = forms.ModelChoiceField(label=_("Sitzungsort"), queryset=Location.objects.none(), required=False)
    agenda_deadline = forms.DateField(label=_("Frist für Tagesordnungsvorschläge"), widget=DateInput(), required=False)
    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_municipality"].queryset = Municipality.objects.active()
        self.fields["location"].queryset = Location.objects.alive()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Das Ende muss nach dem Beginn liegen."))
        return data


class LocationForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Location
        fields = ["municipality", "name", "street_address", "postal_code", "locality", "room", "accessibility", "travel_notes"]
        widgets = {"accessibility": forms.Textarea(attrs={"rows": 2}), "travel_notes": forms.Textarea(attrs={"rows": 2})}


class ProposalForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, error_messages={"required": _("Bitte geben Sie einen Titel an.")})
    description = forms.CharField(
        label=_("Beschreibung"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10_000
    )
    presenter = forms.ModelChoiceField(label=_("Vortragende Person"), queryset=Person.objects.none(), required=False)
    municipality = forms.ModelChoiceField(label=_("Stadt"), queryset=Municipality.objects.none(), required=False)
    duration_minutes = forms.IntegerField(
        label=_("Dauer (Minuten)"),
        min_value=1,
        max_value=480,
        initial=15,
        error_messages={
            "min_value": _("Bitte mindestens 1 Minute."),
            "max_value": _("Höchstens 480 Minuten."),
            "required": _("Bitte geben Sie die Dauer an."),
        },
    )
    public = forms.BooleanField(label=_("öffentlich (auch im Ratsinformationssystem sichtbar)"), required=False, initial=True)
    document = forms.FileField(label=_("Unterlage (PDF)"), required=False, help_text=_("höchstens 20 MB"))

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Person.objects.filter(is_active=True, memberships__body=body).distinct()
        self.fields["municipality"].queryset = Municipality.objects.active()

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            if document.size > 20 * 1024 * 1024:
                raise ValidationError(_("Die Datei ist größer als 20 MB."))
            head = document.read(5)
            document.seek(0)
            if head != b"%PDF-":
                raise ValidationError(_("Bitte laden Sie eine PDF-Datei hoch."))
        return document


class ReplyForm(KernFormMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Nehmen Sie teil?"),
        choices=Reply.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie eine Antwort.")},
    )
    comment = forms.CharField(label=_("Bemerkung"), max_length=300, required=False)


class ItemMinutesForm(KernFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Zusammenfassung"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20_000
    )
    result = forms.CharField(label=_("Ergebnis"), max_length=200, required=False, help_text=_("z. B. einstimmig beschlossen"))
    decision_kind = forms.ChoiceField(label=_("Art"), choices=Decision.Kind.choices, required=False)
    decision_text = forms.CharField(
        label=_("Beschluss oder Verabredung im Wortlaut"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    action_description = forms.CharField(label=_("Neue Aufgabe"), max_length=2000, required=False)
    action_assignee = forms.ModelChoiceField(label=_("verantwortliche Person"), queryset=Person.objects.none(), required=False)
    action_municipality = forms.ModelChoiceField(
        label=_("verantwortliche Stadt"), queryset=Municipality.objects.none(), required=False
    )
    action_due = forms.DateField(label=_("fällig am"), widget=DateInput(), required=False)

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_assignee"].queryset = Person.objects.filter(is_active=True, memberships__body=body).distinct()
        self.fields["action_municipality"].queryset = Municipality.objects.active()

    def clean(self):
        data = super().clean()
        if data.get("action_description") and not (data.get("action_assignee") or data.get("action_municipality")):
            self.add_error("action_assignee", _("Bitte nennen Sie eine verantwortliche Person oder Stadt."))
        if data.get("action_due") and data["action_due"] < timezone.localdate():
            self.add_error("action_due", _("Das Fälligkeitsdatum liegt in der Vergangenheit."))
        return data


class AttendanceForm(KernFormMixin, forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Anwesende"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Person.objects.filter(pk__in=[p.pk for p in people])


class ObjectionForm(KernFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Ihr Einwand"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Bitte beschreiben Sie Ihren Einwand.")},
    )


class CorrectionForm(KernFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Grund der Berichtigung"), max_length=2000, error_messages={"required": _("Bitte nennen Sie den Grund.")}
    )
    change = forms.CharField(
        label=_("Berichtigung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
        error_messages={"required": _("Bitte beschreiben Sie die Berichtigung.")},
    )


class DecisionFilterForm(KernFormMixin, forms.Form):
    q = forms.CharField(label=_("Suche im Wortlaut"), required=False, max_length=100)
    body = forms.ModelChoiceField(label=_("Gremium"), queryset=Body.objects.all(), required=False, empty_label=_("alle"))
    year = forms.IntegerField(
        label=_("Jahr"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Bitte ein Jahr wie 2026 angeben.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("alle")), *Decision.Status.choices], required=False)
