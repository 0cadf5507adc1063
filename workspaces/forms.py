from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField
from lib.forms import KernForm, KernModelForm
from members.models import Person

from .models import Workspace, WorkspaceMember

VISIBILITY_CHOICES = [
    (Workspace.Visibility.PRIVATE, _("privat – nur Mitglieder des Arbeitsbereichs sehen die Inhalte")),
    (Workspace.Visibility.PLATFORM, _("alle Plattformmitglieder – wer einen Sitz in einem Gremium hat, kann lesen")),
    (Workspace.Visibility.PUBLIC, _("öffentlich – auch ohne Anmeldung lesbar")),
]
JOIN_POLICY_CHOICES = [
    (Workspace.JoinPolicy.INVITATION, _("nur auf Einladung – die Leitung nimmt Personen auf")),
    (Workspace.JoinPolicy.REQUEST, _("auf Anfrage – Mitglieder der Gremien fragen an, die Leitung entscheidet")),
    (Workspace.JoinPolicy.OPEN, _("offen für Mitglieder – Mitglieder der Gremien treten selbst bei")),
]
KIND_CHOICES = [(value, label) for value, label in Workspace.Kind.choices if value != Workspace.Kind.BODY]


class WorkspaceForm(KernModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Workspace
        fields = ["name", "kind", "description", "visibility", "join_policy"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "visibility": forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
            "join_policy": forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
        }
        help_texts = {
            "join_policy": _(
                "Bei „auf Anfrage“ und „offen“ sehen alle Mitglieder der Gremien Name und Beschreibung, "
                "auch wenn der Arbeitsbereich privat ist."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_body_workspace:
            del self.fields["kind"]  # a body's workspace stays one
        else:
            self.fields["kind"].choices = KIND_CHOICES
        self.fields["visibility"].choices = VISIBILITY_CHOICES
        self.fields["join_policy"].choices = JOIN_POLICY_CHOICES

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 3:
            raise forms.ValidationError(_("Bitte geben Sie einen Namen mit mindestens 3 Zeichen an."))
        return name


class JoinRequestForm(KernForm):
    message = forms.CharField(
        label=_("Nachricht an die Leitung"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zum Beispiel, woran Sie mitarbeiten möchten."),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.affiliation})" if obj.affiliation else obj.full_name


class AddMemberForm(KernForm):
    person = PersonChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        empty_label=_("Person auswählen"),
        help_text=_("Aufgenommen werden können Personen, die bereits ein Konto haben."),
        error_messages={"invalid_choice": _("Diese Person kann nicht aufgenommen werden. Bitte wählen Sie aus der Liste.")},
    )
    role = forms.ChoiceField(label=_("Rolle"), choices=WorkspaceMember.Role.choices, initial=WorkspaceMember.Role.EDITOR)

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.filter(is_active=True, user__isnull=False, user__is_active=True)
            .exclude(user__in=workspace.members.values("user_id"))
            .select_related("municipality", "organisation")
            .order_by("family_name", "given_name", "pk")
        )


class RoleForm(KernForm):
    role = forms.ChoiceField(label=_("Rolle"), choices=WorkspaceMember.Role.choices)


class DecisionForm(KernForm):
    decision = forms.ChoiceField(choices=[("approve", _("annehmen")), ("decline", _("ablehnen"))])
    role = forms.ChoiceField(label=_("Rolle"), choices=WorkspaceMember.Role.choices, required=False)


class ArchiveForm(KernForm):
    archived = forms.BooleanField(required=False)
