from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from calendar_events.forms import BerlinDateTimeField
from documents.models import Document
from lib.concurrency import VersionField
from lib.forms import KernForm, KernModelForm
from members.models import Municipality

from .actions import EVENT_FIELDS
from .models import Documentation, DocumentationItem, Event, Registration

NEEDS_CONSENT_TEXT = _(
    "Ich willige ausdrücklich ein, dass die Organisation meine Angaben zur Barrierefreiheit (Gesundheitsdaten nach "
    "Art. 9 DSGVO) speichert, um die Veranstaltung für mich zugänglich zu machen. Nur die benannten Organisatorinnen "
    "und Organisatoren sehen sie; der Veranstaltungsort erhält nur Summen. Die Angaben werden nach der Veranstaltung "
    "automatisch gelöscht. Ich kann die Einwilligung jederzeit über meinen Link widerrufen, indem ich die Angaben entferne."
)


class RegistrationForm(KernForm):
    """Register (publicly, through an invitation or a contingent) or change a registration."""

    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Stadt"),
        queryset=Municipality.objects.order_by("short_name"),
        required=False,
        empty_label=_("– keine Mitgliedsstadt –"),
    )
    sessions = forms.TypedMultipleChoiceField(
        label=_("Programmpunkte"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    photo = forms.ChoiceField(
        label=_("Fotos"), choices=Registration.Photo.choices, widget=forms.RadioSelect, initial="group_only"
    )
    wheelchair = forms.BooleanField(label=_("Ich brauche einen Rollstuhlplatz."), required=False)
    sign_language = forms.BooleanField(label=_("Ich brauche Gebärdensprachdolmetschung (DGS)."), required=False)
    induction_loop = forms.BooleanField(label=_("Ich brauche eine Induktionsschleife."), required=False)
    dietary = forms.CharField(label=_("Ernährung (z. B. vegetarisch, Allergien)"), max_length=300, required=False)
    other = forms.CharField(label=_("Weitere Unterstützung"), max_length=500, required=False)
    needs_consent = forms.BooleanField(label=NEEDS_CONSENT_TEXT, required=False)
    version = VersionField(required=False)

    def __init__(self, *args, event: Event, with_email: bool = True, with_city: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = forms.CharField(label=question.label, required=question.required, max_length=2000)
        choices = [
            (s.pk, f"{s.title} ({s.starts_at:%H:%M}, {s.room})" if s.room else s.title)
            for s in event.sessions.filter(needs_choice=True)
        ]
        if choices:
            self.fields["sessions"].choices = choices
        else:
            del self.fields["sessions"]
        if not with_email:
            del self.fields["email"]
        if not with_city:
            del self.fields["municipality"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Bitte geben Sie Ihren Namen an."))
        return name

    def action_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "organisation": data.get("organisation", ""),
            "answers": {str(q.pk): data.get(f"q_{q.pk}", "") for q in self.questions},
            "session_ids": data.get("sessions", []),
            "photo": data["photo"],
            "needs": {k: data.get(k) for k in ("wheelchair", "sign_language", "induction_loop", "dietary", "other")},
            "needs_consent": data.get("needs_consent", False),
        }


class EventForm(KernModelForm):
    version = VersionField(required=False)
    starts_at = BerlinDateTimeField(label=_("Beginn"))
    ends_at = BerlinDateTimeField(label=_("Ende"))
    registration_closes_at = BerlinDateTimeField(label=_("Anmeldeschluss"))
    contingent_deadline = BerlinDateTimeField(label=_("Benennungsfrist der Kontingente"), required=False)

    class Meta:
        model = Event
        fields = ["slug", *EVENT_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "venue_accessibility": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["slug"]

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("Das Ende muss nach dem Beginn liegen."))
        return data


class SessionForm(KernForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    starts_at = BerlinDateTimeField(label=_("Beginn"))
    ends_at = BerlinDateTimeField(label=_("Ende"))
    room = forms.CharField(label=_("Raum"), max_length=120, required=False)
    speakers = forms.CharField(label=_("Mitwirkende"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Plätze"), min_value=1, required=False)
    counts_for_certificate = forms.BooleanField(label=_("zählt für die Bescheinigung"), required=False)
    needs_choice = forms.BooleanField(label=_("Teilnahme bei der Anmeldung wählen"), required=False)


class ContingentForm(KernForm):
    municipality = forms.ModelChoiceField(label=_("Stadt"), queryset=Municipality.objects.order_by("short_name"))
    places = forms.IntegerField(label=_("Plätze"), min_value=1, max_value=500)
    coordinator_name = forms.CharField(label=_("Name der Koordination"), max_length=150)
    coordinator_email = forms.EmailField(label=_("E-Mail der Koordination"))


class PersonForm(KernForm):
    """Invite somebody, nominate a guest of a city, or register a walk-in."""

    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"), required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)

    def __init__(self, *args, email_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = email_required


class CheckInForm(KernForm):
    code = forms.CharField(label=_("Code vom Namensschild"), max_length=32)
    request_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    session = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FeedbackForm(KernForm):
    rating = forms.TypedChoiceField(
        label=_("Wie war die Veranstaltung insgesamt?"),
        coerce=int,
        choices=[(5, _("sehr gut")), (4, _("gut")), (3, _("mittel")), (2, _("weniger gut")), (1, _("schlecht"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Was sollen wir beibehalten, was ändern?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
    )


class DocumentationForm(KernForm):
    version = VersionField(required=False)
    report = forms.CharField(
        label=_("Bericht"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Ein kurzer Bericht über die Veranstaltung (Markdown)."),
    )
    licence = forms.ChoiceField(label=_("Lizenz der Dokumentation"), choices=Documentation.Licence.choices)
    attribution = forms.CharField(
        label=_("Namensnennung"),
        required=False,
        max_length=200,
        help_text=_("Wer bei einer Weiterverwendung genannt wird, z. B. „Integration.Interkommunal“."),
    )


class DocumentationItemForm(KernForm):
    """Choose a document of the event's workspace as presentation or photo."""

    kind = forms.ChoiceField(label=_("Art"), choices=DocumentationItem.Kind.choices, widget=forms.RadioSelect)
    document = forms.ModelChoiceField(label=_("Dokument aus dem Arbeitsbereich"), queryset=Document.objects.none())
    title = forms.CharField(label=_("Titel"), max_length=200, required=False, help_text=_("Leer: der Titel des Dokuments."))
    alt_text = forms.CharField(
        label=_("Alternativtext (bei Fotos Pflicht)"),
        max_length=300,
        required=False,
        help_text=_("Was auf dem Foto zu sehen ist, in einem Satz."),
    )
    credit = forms.CharField(label=_("Urheberin oder Urheber"), max_length=200, required=False)
    consent = forms.ChoiceField(
        label=_("Einwilligung der Abgebildeten (bei Fotos Pflicht)"),
        choices=DocumentationItem.Consent.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    release = forms.BooleanField(
        label=_("Ich habe das Foto hochgeladen und gebe es für die öffentliche Dokumentation frei."), required=False
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = (
            Document.objects.active().filter(workspace=event.workspace, current__isnull=False).order_by("title")
        )
