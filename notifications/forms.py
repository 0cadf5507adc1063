from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import DateInput, KernForm

from .models import EmailMode, Level


class SettingsForm(KernForm):
    """The person's e-mail mode and one level per workspace they belong to."""

    email_mode = forms.ChoiceField(
        label=_("E-Mails"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie, wie Sie per E-Mail benachrichtigt werden möchten.")},
        help_text=_("Erwähnungen und Zuweisungen erscheinen immer in der Plattform, auch wenn ein Arbeitsbereich stumm ist."),
    )

    def __init__(self, *args, workspaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace_fields = []
        for workspace in workspaces:
            name = f"ws_{workspace.pk}"
            self.fields[name] = forms.ChoiceField(
                label=workspace.name,
                choices=Level.choices,
                error_messages={"invalid_choice": _("Bitte wählen Sie eine der angebotenen Stufen.")},
            )
            self.fields[name].widget.attrs["class"] = "kern-form-input__select"
            self.workspace_fields.append((workspace, name))

    def workspace_levels(self):
        return [(workspace, self.cleaned_data[name]) for workspace, name in self.workspace_fields]


class MailLogFilterForm(KernForm):
    """Filters of the mail log; every field optional, wrong values are simply ignored."""

    STATES = [("", _("alle")), ("open", _("noch nicht gesendet")), ("sent", _("gesendet")), ("failed", _("gescheitert"))]

    status = forms.ChoiceField(label=_("Zustand"), choices=STATES, required=False)
    an = forms.CharField(label=_("Empfänger enthält"), required=False, max_length=200)
    betreff = forms.CharField(label=_("Betreff enthält"), required=False, max_length=200)
    von = forms.DateField(label=_("erstellt ab"), required=False, widget=DateInput())
    bis = forms.DateField(label=_("erstellt bis"), required=False, widget=DateInput())
