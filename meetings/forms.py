from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField
from lib.forms import DateInput, KernFormMixin
from members.models import Body, Municipality, Person

from .models import AgendaItem, Consultation, Decision, ExternalCommittee, Location, Meeting, MeetingFile, PaperType, Reply

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


class AgendaItemForm(ProposalForm):
    """An item the speaker, the deputy or the office puts straight onto the agenda, or edits there."""

    document = forms.FileField(
        label=_("weitere Unterlage (PDF)"), required=False, help_text=_("höchstens 20 MB; wird dem Punkt hinzugefügt")
    )
    version = VersionField(required=False)


class ReplyForm(KernFormMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Nehmen Sie teil?"),
        choices=Reply.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie eine Antwort."), "invalid_choice": _("Bitte wählen Sie eine Antwort.")},
    )
    deputy_name = forms.CharField(
        label=_("Wer vertritt Sie?"),
        max_length=150,
        required=False,
        help_text=_("Nur bei „Meine Vertretung nimmt teil“. Leer lassen: Ihre eingetragene Vertretung."),
    )
    comment = forms.CharField(label=_("Bemerkung"), max_length=300, required=False)


class GuestReplyForm(KernFormMixin, forms.Form):
    """A guest answers for themselves: attending or not (a guest sends no deputy)."""

    answer = forms.ChoiceField(
        label=_("Nehmen Sie teil?"),
        choices=[
            (Reply.Answer.ATTENDING, Reply.Answer.ATTENDING.label),
            (Reply.Answer.NOT_ATTENDING, Reply.Answer.NOT_ATTENDING.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie eine Antwort."), "invalid_choice": _("Bitte wählen Sie eine Antwort.")},
    )
    comment = forms.CharField(label=_("Bemerkung"), max_length=300, required=False)


class InvitationForm(KernFormMixin, forms.Form):
    covering_text = forms.CharField(
        label=_("Anschreiben der Geschäftsführung"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ihr eigener Text über der Tagesordnung, in der E-Mail und im PDF für das Gremium (nicht im öffentlichen PDF)."
        ),
        error_messages={"max_length": _("Das Anschreiben ist länger als 5000 Zeichen.")},
    )


class GuestForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, error_messages={"required": _("Bitte geben Sie den Namen an.")})
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        error_messages={
            "required": _("Bitte geben Sie die E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an."),
        },
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)


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
    version = VersionField(required=False)

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
    """A correction (Berichtigung) of approved minutes: of one item's text (``item`` given) or a note."""

    summary = forms.CharField(
        label=_("Zusammenfassung (berichtigte Fassung)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20_000,
    )
    result = forms.CharField(label=_("Ergebnis (berichtigte Fassung)"), max_length=200, required=False)
    change = forms.CharField(
        label=_("Vermerk: Was wird berichtigt?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
        required=False,
        help_text=_("Erscheint im veröffentlichten Protokoll, z. B. „Anwesend war auch Frau Yilmaz (Hagen).“"),
    )
    reason = forms.CharField(
        label=_("Grund der Berichtigung"),
        max_length=2000,
        error_messages={"required": _("Bitte nennen Sie den Grund der Berichtigung.")},
    )
    version = VersionField(required=False)

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        if item is None:
            del self.fields["summary"], self.fields["result"]
            self.fields["change"].required = True
            self.fields["change"].error_messages["required"] = _("Bitte beschreiben Sie, was berichtigt wird.")
        else:
            self.fields["change"].label = _("Vermerk")
            self.fields["change"].help_text = _(
                "Leer lassen: Der Vermerk nennt den TOP und was berichtigt wurde. Erscheint im veröffentlichten Protokoll."
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


# --- Papers (Vorlagen) ---------------------------------------------------------------------------
def _meeting_label(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.start)
    return f"{meeting.body.short_name or meeting.body.name}: {meeting.title} ({local:%d.%m.%Y})"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _meeting_label(obj)


class AgendaItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        local = timezone.localtime(obj.meeting.start)
        return f"{local:%d.%m.%Y} ({obj.body.short_name or obj.body.name}): {obj.title}"


class PaperForm(KernFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("Drucksachennummer"),
        max_length=50,
        help_text=_("z. B. 0569/2023; jede Nummer gibt es nur einmal."),
        error_messages={"required": _("Bitte geben Sie die Drucksachennummer an.")},
    )
    name = forms.CharField(label=_("Titel"), max_length=300, error_messages={"required": _("Bitte geben Sie einen Titel an.")})
    paper_type = forms.ChoiceField(
        label=_("Art"),
        choices=PaperType.choices,
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Art aus der Liste.")},
    )
    date = forms.DateField(
        label=_("Datum"),
        widget=DateInput(),
        error_messages={"required": _("Bitte geben Sie das Datum an."), "invalid": _("Bitte geben Sie ein gültiges Datum an.")},
    )
    municipality = forms.ModelChoiceField(label=_("einreichende Stadt"), queryset=Municipality.objects.none(), required=False)
    lead_body = forms.ModelChoiceField(label=_("federführendes Gremium"), queryset=Body.objects.none(), required=False)
    description = forms.CharField(label=_("Inhalt"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20_000)
    public = forms.BooleanField(label=_("öffentlich (auf der Website und über OParl sichtbar)"), required=False, initial=True)
    version = VersionField(required=False)

    def __init__(self, *args, current_type: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.fields["lead_body"].queryset = Body.objects.exclude(kind=Body.Kind.MANAGING_OFFICE)
        if current_type and current_type not in PaperType.values:
            # A type written before the list existed stays selectable for its paper.
            self.fields["paper_type"].choices = [*PaperType.choices, (current_type, current_type)]
            self.fields["paper_type"].widget.choices = self.fields["paper_type"].choices

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()


class ConsultationForm(KernFormMixin, forms.Form):
    """One step: a body of ours, a known external committee, or a new one named here."""

    body = forms.ModelChoiceField(
        label=_("Gremium der Kooperation"), queryset=Body.objects.none(), required=False, empty_label=_("– keines –")
    )
    committee = forms.ModelChoiceField(
        label=_("externes Gremium"),
        queryset=ExternalCommittee.objects.none(),
        required=False,
        empty_label=_("– keines –"),
        help_text=_("z. B. Integrationsrat, Fachausschuss oder Rat einer Mitgliedsstadt"),
    )
    new_committee_name = forms.CharField(
        label=_("oder neues externes Gremium: Name"),
        max_length=200,
        required=False,
        help_text=_("Nur ausfüllen, wenn das Gremium noch nicht in der Liste steht."),
    )
    new_committee_municipality = forms.ModelChoiceField(
        label=_("Stadt des neuen Gremiums"), queryset=Municipality.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=Consultation.Role.choices,
        error_messages={"required": _("Bitte wählen Sie die Rolle.")},
    )
    authoritative = forms.BooleanField(label=_("entscheidend (hier fällt der Beschluss)"), required=False)
    date = forms.DateField(
        label=_("Sitzungsdatum"),
        widget=DateInput(),
        required=False,
        help_text=_("Bei verknüpfter Sitzung leer lassen: Dann gilt der Sitzungstag."),
        error_messages={"invalid": _("Bitte geben Sie ein gültiges Datum an.")},
    )
    meeting = MeetingChoiceField(
        label=_("Sitzung (nur bei Gremien der Kooperation)"), queryset=Meeting.objects.none(), required=False
    )
    agenda_item = AgendaItemChoiceField(label=_("Tagesordnungspunkt"), queryset=AgendaItem.objects.none(), required=False)
    sequence_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.exclude(kind=Body.Kind.MANAGING_OFFICE)
        self.fields["committee"].queryset = ExternalCommittee.objects.select_related("municipality")
        self.fields["new_committee_municipality"].queryset = Municipality.objects.all()
        self.fields["meeting"].queryset = Meeting.objects.alive().select_related("body").order_by("-start")
        self.fields["agenda_item"].queryset = (
            AgendaItem.objects.alive()
            .filter(meeting__isnull=False, meeting__deleted_at__isnull=True, status=AgendaItem.Status.ACCEPTED)
            .select_related("body", "meeting")
            .order_by("-meeting__start", "position", "pk")
        )

    def clean(self):
        data = super().clean()
        chosen = [bool(data.get("body")), bool(data.get("committee")), bool(data.get("new_committee_name"))]
        if sum(chosen) != 1:
            raise ValidationError(
                _("Bitte wählen Sie genau ein Gremium: eines der Kooperation, ein externes oder ein neues externes.")
            )
        if data.get("new_committee_name") and not data.get("new_committee_municipality"):
            self.add_error("new_committee_municipality", _("Bitte nennen Sie die Stadt des neuen Gremiums."))
        return data


class PaperFileForm(KernFormMixin, forms.Form):
    upload = forms.FileField(
        label=_("Datei (PDF)"),
        help_text=_("höchstens 20 MB; geprüft wird der Inhalt, nicht der Dateiname"),
        error_messages={"required": _("Bitte wählen Sie eine PDF-Datei."), "empty": _("Die Datei ist leer.")},
    )
    name = forms.CharField(
        label=_("Bezeichnung"), max_length=200, required=False, help_text=_("Leer lassen: Der Dateiname wird übernommen.")
    )
    role = forms.ChoiceField(
        label=_("Art"),
        choices=[
            (MeetingFile.Role.MAIN, MeetingFile.Role.MAIN.label),
            (MeetingFile.Role.AUXILIARY, MeetingFile.Role.AUXILIARY.label),
        ],
        initial=MeetingFile.Role.MAIN,
    )
    public = forms.BooleanField(label=_("öffentlich"), required=False, initial=True)


class PaperFilterForm(KernFormMixin, forms.Form):
    q = forms.CharField(label=_("Drucksachennummer oder Titel"), required=False, max_length=100)
    body = forms.ModelChoiceField(label=_("Gremium"), queryset=Body.objects.none(), required=False, empty_label=_("alle"))
    year = forms.IntegerField(
        label=_("Jahr"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Bitte ein Jahr wie 2026 angeben."),
            "min_value": _("Bitte ein Jahr ab 2000 angeben."),
            "max_value": _("Bitte ein Jahr bis 2100 angeben."),
        },
    )
    paper_type = forms.ChoiceField(label=_("Art"), choices=[("", _("alle")), *PaperType.choices], required=False)
    municipality = forms.ModelChoiceField(
        label=_("Stadt"), queryset=Municipality.objects.none(), required=False, empty_label=_("alle")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.exclude(kind=Body.Kind.MANAGING_OFFICE)
        self.fields["municipality"].queryset = Municipality.objects.all()


class AgendaChangeForm(forms.Form):
    """One button of the agenda page (move, accept, defer, reject, standing items); ``agenda_version`` is the
    order the editor saw, read by the view."""

    op = forms.ChoiceField(choices=[(op, op) for op in ("up", "down", "accept", "defer", "reject", "template")])


class ItemFileRemoveForm(forms.Form):
    """Removing a PDF from an agenda item: the item's version the editor saw."""

    version = VersionField()


class SequenceChangeForm(forms.Form):
    """One button of the consultation sequence (move a step up or down, remove it); ``sequence_version`` is the
    sequence the editor saw, read by the view."""

    op = forms.ChoiceField(choices=[(op, op) for op in ("up", "down", "remove")])


def as_int(value) -> int:
    """A posted id or version as a number; 0 for a missing or malformed one (which then matches nothing)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
