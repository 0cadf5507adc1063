from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField
from lib.forms import KernModelForm

from .models import Event

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; times are read in Europe/Berlin (the active time zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class BerlinDateTimeField(forms.DateTimeField):
    widget = LocalDateTimeInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATETIME_FORMATS)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Bitte geben Sie Datum und Uhrzeit an."),
                "invalid": _("Bitte geben Sie Datum und Uhrzeit im Format TT.MM.JJJJ HH:MM an."),
            },
        )
        super().__init__(**kwargs)


class EventForm(KernModelForm):
    version = VersionField(required=False)
    starts_at = BerlinDateTimeField(label=_("Beginn"), help_text=_("Uhrzeit in deutscher Zeit (Europe/Berlin)."))
    ends_at = BerlinDateTimeField(label=_("Ende"), help_text=_("Uhrzeit in deutscher Zeit (Europe/Berlin)."))

    class Meta:
        model = Event
        fields = ["title", "starts_at", "ends_at", "location", "online_url", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "title": {"required": _("Bitte geben Sie einen Titel an.")},
            "online_url": {"invalid": _("Bitte geben Sie einen vollständigen Link an, zum Beispiel https://…")},
        }

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 3:
            raise forms.ValidationError(_("Bitte geben Sie einen Titel mit mindestens 3 Zeichen an."))
        return title
