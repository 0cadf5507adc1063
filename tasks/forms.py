from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from lib.concurrency import VersionField
from lib.forms import DateInput, KernForm, KernModelForm
from members.models import Municipality

from .models import Task, TaskCity


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class TaskForm(KernModelForm):
    version = VersionField(required=False)
    assignees = PersonChoice(
        label=_("zuständige Personen"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Bitte wählen Sie nur Mitglieder dieses Arbeitsbereichs.")},
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("zuständige Städte (alle Personen der Stadt)"),
        queryset=Municipality.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Bitte wählen Sie nur Mitgliedsstädte.")},
    )

    class Meta:
        model = Task
        fields = ["title", "description", "due_date", "status"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "title": {
                "required": _("Bitte geben Sie einen Titel an."),
                "max_length": _("Der Titel darf höchstens 200 Zeichen lang sein."),
            },
            "due_date": {"invalid": _("Bitte geben Sie ein gültiges Datum an, z. B. 31.12.2025.")},
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = (
            User.objects.filter(workspace_memberships__workspace=workspace, is_active=True)
            .select_related("person")
            .order_by("person__family_name", "person__given_name", "email")
        )
        if self.instance.pk:
            self.fields["assignees"].initial = list(self.instance.assignees.values_list("pk", flat=True))
            self.fields["municipalities"].initial = list(self.instance.assigned_municipalities.values_list("pk", flat=True))
        else:
            del self.fields["version"]


class StatusForm(KernForm):
    version = VersionField()
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Task.Status.choices,
        error_messages={"invalid_choice": _("Bitte wählen Sie einen gültigen Status.")},
    )


class CityStatusForm(KernForm):
    version = VersionField()
    status = forms.ChoiceField(
        label=_("Stand der Stadt"),
        choices=TaskCity.Status.choices,
        error_messages={"invalid_choice": _("Bitte wählen Sie einen gültigen Stand.")},
    )
    note = forms.CharField(
        label=_("Notiz (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Zum Beispiel, was noch fehlt oder bis wann es erledigt ist."),
        error_messages={"max_length": _("Die Notiz darf höchstens 2000 Zeichen lang sein.")},
    )


class CommentForm(KernForm):
    text = forms.CharField(
        label=_("Kommentar"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Bitte schreiben Sie einen Kommentar."),
            "max_length": _("Der Kommentar darf höchstens 5000 Zeichen lang sein."),
        },
    )


class AttachmentForm(KernForm):
    file = forms.FileField(
        label=_("Datei"),
        help_text=_("PDF, Office-Dokumente, Bilder oder Text; Programme werden abgelehnt."),
        error_messages={
            "required": _("Bitte wählen Sie eine Datei aus."),
            "empty": _("Die Datei ist leer."),
            "invalid": _("Bitte wählen Sie eine Datei aus."),
        },
    )
