from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField
from lib.forms import KernForm, KernModelForm
from members.models import Municipality
from monitoring.models import AggregateCell

from .actions import CONTENT_FIELDS
from .indicators import released_indicators
from .models import Contributor, InterculturalField, ReviewEntry, Revision, TargetGroup

MARKDOWN_HINT = _("Markdown: **fett**, *kursiv*, Listen mit „-“, Überschriften mit „##“.")


class _TrapMixin(forms.Form):
    """A field people do not see (``trap_fields`` renders it hidden); bots fill it in and are turned away."""

    trap_fields = ("website",)
    website = forms.CharField(
        required=False, label=_("Bitte leer lassen"), widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )


class ExampleForm(KernModelForm):
    version = VersionField(required=False)
    cities = forms.ModelMultipleChoiceField(
        label=_("Beteiligte Städte"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Revision
        fields = [*CONTENT_FIELDS, "change_note"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "partners_migrant": forms.Textarea(attrs={"rows": 2}),
            "partners_business": forms.Textarea(attrs={"rows": 2}),
            "partners_science": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.Textarea(attrs={"rows": 5}),
            "approach": forms.Textarea(attrs={"rows": 10}),
            "resources": forms.Textarea(attrs={"rows": 5}),
            "results": forms.Textarea(attrs={"rows": 6}),
            "transferability": forms.Textarea(attrs={"rows": 5}),
            "licence": forms.RadioSelect,
        }
        help_texts = {
            "summary": _("Zwei, drei Sätze für Listen und Suchergebnisse."),
            "partners_migrant": _("Eine Organisation je Zeile."),
            "goals": MARKDOWN_HINT,
            "approach": MARKDOWN_HINT,
            "resources": _("Personal, Sachkosten, Förderung – mit Markdown."),
            "results": _("Was wurde erreicht, woran lässt es sich ablesen? Markdown."),
            "transferability": _("Was brauchen andere Städte, um es zu übernehmen? Markdown."),
            "licence": _(
                "CC BY 4.0: Alle dürfen den Text mit Namensnennung nutzen, das Beispiel erscheint öffentlich. "
                "„Nur intern“: nur die Mitglieder der Kooperation sehen es."
            ),
            "image_rights_confirmed": _("Nötig, sobald Bilder zu den Materialien gehören."),
            "change_note": _("Für die Prüfenden: kurz, was Sie gegenüber der letzten Fassung geändert haben."),
        }
        labels = {
            "image_rights_confirmed": _("Ich habe die Rechte an allen Bildern und darf sie unter dieser Lizenz weitergeben.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["licence"].choices = [c for c in self.fields["licence"].choices if c[0]]
        self.fields["joint_project"].required = False
        # Only figures monitoring has released, headline rows, never a suppressed one (knowledge.indicators).
        indicators = released_indicators()
        labels = {i.cell_id: i.label for i in indicators}
        field = self.fields["evidence_indicator"]
        field.queryset = AggregateCell.objects.filter(pk__in=list(labels))
        field.label_from_instance = lambda cell: labels.get(cell.pk, str(cell))
        field.empty_label = _("keine Kennzahl")
        field.error_messages["invalid_choice"] = _("Bitte wählen Sie eine veröffentlichte Kennzahl aus dem Monitoring.")
        field.help_text = _("Veröffentlichte Kennzahlen der Beschäftigtenbefragung; die Seite verlinkt auf die Ergebnisse.")
        if self.instance.evidence_url and not self.instance.evidence_indicator_id:
            field.help_text = _("%(hint)s Bisher angegebener Link: %(url)s") % {
                "hint": field.help_text,
                "url": self.instance.evidence_url,
            }


class VersionForm(KernForm):
    version = VersionField()


class ReviewForm(KernForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Ihre Entscheidung"),
        choices=ReviewEntry.Kind.choices,
        widget=forms.RadioSelect,
        initial=ReviewEntry.Kind.COMMENT,
    )
    text = forms.CharField(
        label=_("Kommentar oder Begründung"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Bei „Änderungen erbeten“ und „Ablehnung“ erforderlich; die Autorin oder der Autor liest ihn."),
    )


class AssignReviewerForm(KernForm):
    reviewer = forms.ModelChoiceField(label=_("Zweite Prüferin / zweiter Prüfer"), queryset=None)

    def __init__(self, *args, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda user: str(user)


class MaterialForm(KernForm):
    file = forms.FileField(label=_("Datei"), help_text=_("PDF, Office-Dokumente, Bilder oder Text."))
    title = forms.CharField(label=_("Bezeichnung"), max_length=200, required=False)


class ProblemReportForm(_TrapMixin, KernForm):
    text = forms.CharField(label=_("Was stimmt nicht?"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    email = forms.EmailField(
        label=_("E-Mail für Rückfragen"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Nur nötig, wenn Sie eine Antwort wünschen."),
    )


class ContributorFields(KernForm):
    given_name = forms.CharField(label=_("Vorname"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    family_name = forms.CharField(
        label=_("Nachname"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    kind = forms.ChoiceField(label=_("Art der Organisation"), choices=Contributor.Kind.choices)
    email = forms.EmailField(label=_("E-Mail-Adresse"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ContributorSignupForm(_TrapMixin, ContributorFields):
    password1 = forms.CharField(
        label=_("Passwort"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )
    consent = forms.BooleanField(
        label=_("Ich bin einverstanden, dass die Geschäftsführung meine Angaben zur Prüfung meiner Beiträge speichert."),
        error_messages={"required": _("Ohne Ihr Einverständnis können wir kein Konto anlegen.")},
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Die Passwörter stimmen nicht überein."))
        elif first:
            try:
                validate_password(first)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ContributorInviteForm(ContributorFields):
    message = forms.CharField(
        label=_("Persönliche Nachricht"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class FilterForm(KernForm):
    feld = forms.ChoiceField(
        label=_("Handlungsfeld"), required=False, choices=[("", _("alle"))] + list(InterculturalField.choices)
    )
    stadt = forms.ModelChoiceField(
        label=_("Stadt"),
        required=False,
        queryset=Municipality.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("alle"),
    )
    zielgruppe = forms.ChoiceField(label=_("Zielgruppe"), required=False, choices=[("", _("alle"))] + list(TargetGroup.choices))
