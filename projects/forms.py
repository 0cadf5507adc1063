from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField
from lib.forms import DateInput, KernForm
from meetings.models import Decision
from members.models import Body, Municipality

from .models import DecisionEffect, PartnerRole, ProjectStatus


def _cities():
    return Municipality.objects.order_by("name")


class ProjectCreateForm(KernForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    slug = forms.SlugField(
        label=_("Kürzel für Adressen"),
        max_length=70,
        required=False,
        help_text=_("Kleinbuchstaben, Ziffern und Bindestriche. Leer lassen: wird aus dem Titel gebildet."),
    )
    lead_municipality = forms.ModelChoiceField(label=_("federführende Kommune"), queryset=Municipality.objects.none())
    summary = forms.CharField(
        label=_("Kurzbeschreibung"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
    starts_on = forms.DateField(label=_("Beginn"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Ende"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_municipality"].queryset = _cities()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Das Ende liegt vor dem Beginn."))
        return data


class ProjectEditForm(KernForm):
    version = VersionField()
    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(
        label=_("Kurzbeschreibung"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
    goals = forms.CharField(
        label=_("Ziele"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
        help_text=_("Ein Ziel je Zeile."),
    )
    measures = forms.CharField(
        label=_("Maßnahmen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
        help_text=_("Eine Maßnahme je Zeile."),
    )
    results = forms.CharField(
        label=_("Ergebnisse"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
        help_text=_("Steht auf der öffentlichen Projektseite, sobald die Geschäftsführung sie freigibt."),
    )
    starts_on = forms.DateField(label=_("Beginn"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Ende"), widget=DateInput(), required=False)
    lead_municipality = forms.ModelChoiceField(label=_("federführende Kommune"), queryset=Municipality.objects.none())

    def __init__(self, *args, manage: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if manage:
            self.fields["lead_municipality"].queryset = _cities()
        else:
            del self.fields["lead_municipality"]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Das Ende liegt vor dem Beginn."))
        return data


class StatusForm(KernForm):
    version = VersionField()
    status = forms.ChoiceField(label=_("neuer Stand"), choices=ProjectStatus.choices)

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["status"].choices = [(value, label) for value, label in ProjectStatus.choices if value in allowed]
            self.fields["status"].widget.choices = self.fields["status"].choices


class ReleaseForm(KernForm):
    version = VersionField()


class PartnerForm(KernForm):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.none())
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=[(v, label) for v, label in PartnerRole.choices if v != PartnerRole.LEAD],
        initial=PartnerRole.PARTNER,
    )
    contribution = forms.CharField(label=_("Beitrag im Projekt"), max_length=300, required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        cities = _cities()
        if project is not None:
            cities = cities.exclude(pk=project.lead_municipality_id)
        self.fields["municipality"].queryset = cities


class MilestoneForm(KernForm):
    title = forms.CharField(label=_("Meilenstein"), max_length=200)
    due_on = forms.DateField(label=_("geplant für"), widget=DateInput())


class DecisionLinkForm(KernForm):
    decision = forms.ModelChoiceField(
        label=_("Beschluss der Regiegruppe"),
        queryset=Decision.objects.none(),
        help_text=_("Aus dem Beschlussregister: Beschlüsse und Verabredungen der Regiegruppe."),
    )
    effect = forms.ChoiceField(label=_("Bedeutung für das Projekt"), choices=DecisionEffect.choices)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        decisions = Decision.objects.filter(agenda_item__body__kind=Body.Kind.STEERING_GROUP, agenda_item__meeting__isnull=False)
        if project is not None:
            decisions = decisions.exclude(project_links__project=project)
        field.queryset = decisions.select_related("agenda_item__meeting").order_by("-agenda_item__meeting__start", "pk")
        field.label_from_instance = lambda d: f"{timezone.localtime(d.agenda_item.meeting.start):%d.%m.%Y} – {d.text[:90]}"
        field.widget.choices = field.choices
