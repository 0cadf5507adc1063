from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calendar_events.forms import BerlinDateTimeField
from calendar_events.templatetags.calendar_tags import when
from lib.forms import KernForm

from .models import Choice, Poll, Slot
from .purposes import EVENT, EVENT_LABEL

SLOT_ROWS = 6


class PollForm(KernForm):
    title = forms.CharField(label=_("Titel"), max_length=200, error_messages={"required": _("Bitte geben Sie einen Titel an.")})
    description = forms.CharField(
        label=_("Beschreibung"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    location = forms.CharField(label=_("Ort"), required=False, max_length=300)
    online_url = forms.URLField(
        label=_("Link zur Online-Teilnahme"),
        required=False,
        max_length=500,
        error_messages={"invalid": _("Bitte geben Sie einen vollständigen Link an, zum Beispiel https://…")},
    )
    deadline = BerlinDateTimeField(label=_("Antworten bis"), help_text=_("Uhrzeit in deutscher Zeit (Europe/Berlin)."))
    invite_members = forms.BooleanField(label=_("Alle Mitglieder des Arbeitsbereichs einladen"), required=False, initial=True)

    def __init__(self, *args, purposes=(), body=None, **kwargs):
        super().__init__(*args, **kwargs)
        if body is not None:
            self.fields["invite_body"] = forms.BooleanField(
                label=_("Alle Mitglieder des Gremiums „%(body)s“ einladen, auch ohne Konto") % {"body": body.name},
                help_text=_("Wer kein Konto im Arbeitsbereich hat, bekommt einen persönlichen Link per E-Mail."),
                required=False,
                initial=True,
            )
            self.fields["invite_body"].widget.attrs["class"] = "kern-form-check__checkbox"
            self.fields["invite_body"].widget.attrs["aria-describedby"] = f"{self._field_id('invite_body')}-hint"
            names = [n for n in self.fields if n != "invite_body"]
            names.insert(names.index("invite_members") + 1, "invite_body")
            self.order_fields(names)
        if purposes:
            self.fields["purpose"] = forms.ChoiceField(
                label=_("Wofür ist der Termin?"),
                choices=[(EVENT, EVENT_LABEL), *((p.key, p.label) for p in purposes)],
                initial=EVENT,
                widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
                error_messages={
                    "required": _("Bitte wählen Sie, wofür der Termin ist."),
                    "invalid_choice": _("Bitte wählen Sie, wofür der Termin ist."),
                },
            )
            self.order_fields(["title", "purpose"])
        for i in range(1, SLOT_ROWS + 1):
            hint = _("Uhrzeit in deutscher Zeit (Europe/Berlin).") if i == 1 else ""
            self.fields[f"slot_{i}_start"] = BerlinDateTimeField(
                label=_("Vorschlag %(n)s: Beginn") % {"n": i}, required=False, help_text=hint
            )
            self.fields[f"slot_{i}_end"] = BerlinDateTimeField(label=_("Vorschlag %(n)s: Ende") % {"n": i}, required=False)
        # __init__ of the mixin ran before these fields existed: give them the KERN classes too.
        for name in self.fields:
            if name.startswith("slot_"):
                widget = self.fields[name].widget
                widget.attrs["class"] = "kern-form-input__input"
                if self.fields[name].help_text:
                    widget.attrs["aria-describedby"] = f"{self._field_id(name)}-hint"

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 3:
            raise forms.ValidationError(_("Bitte geben Sie einen Titel mit mindestens 3 Zeichen an."))
        return title

    def clean_deadline(self) -> dt.datetime:
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("Die Frist für Antworten muss in der Zukunft liegen."))
        return deadline

    def clean(self):
        data = super().clean()
        slots = []
        for i in range(1, SLOT_ROWS + 1):
            start, end = data.get(f"slot_{i}_start"), data.get(f"slot_{i}_end")
            if f"slot_{i}_start" in self.errors or f"slot_{i}_end" in self.errors:
                continue
            if start and not end:
                self.add_error(f"slot_{i}_end", _("Bitte geben Sie auch das Ende an."))
            elif end and not start:
                self.add_error(f"slot_{i}_start", _("Bitte geben Sie auch den Beginn an."))
            elif start and end:
                if end <= start:
                    self.add_error(f"slot_{i}_end", _("Das Ende muss nach dem Beginn liegen."))
                elif (start, end) in slots:
                    self.add_error(f"slot_{i}_start", _("Dieser Termin ist bereits vorgeschlagen."))
                else:
                    slots.append((start, end))
        if not slots and not any(name.startswith("slot_") for name in self.errors):
            self.add_error("slot_1_start", _("Bitte schlagen Sie mindestens einen Termin vor."))
        if not data.get("location", "").strip() and not data.get("online_url") and "online_url" not in self.errors:
            self.add_error("location", _("Bitte geben Sie einen Ort oder einen Link zur Online-Teilnahme an."))
        data["slots"] = slots
        return data


class AnswerForm(KernForm):
    """One radio group per slot of this poll; any other slot id in the request is refused, nothing is saved."""

    comment = forms.CharField(label=_("Kommentar"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, poll: Poll, slots: list[Slot], initial_answers: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.slots = slots
        choices = Choice.choices
        for slot in slots:
            name = f"slot_{slot.pk}"
            self.fields[name] = forms.ChoiceField(
                label=when(slot.starts_at, slot.ends_at),
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
                initial=(initial_answers or {}).get(slot.pk),
                error_messages={
                    "required": _("Bitte wählen Sie Ja, Wenn nötig oder Nein."),
                    "invalid_choice": _("Bitte wählen Sie Ja, Wenn nötig oder Nein."),
                },
            )
        self.order_fields([f"slot_{slot.pk}" for slot in slots] + ["comment"])

    def clean(self):
        data = super().clean()
        own = {f"slot_{slot.pk}" for slot in self.slots}
        foreign = [key for key in self.data if key.startswith("slot_") and key not in own]
        if foreign:
            raise forms.ValidationError(_("Die Antwort nennt einen Terminvorschlag, der nicht zu dieser Abstimmung gehört."))
        return data

    def choices(self) -> dict[int, str]:
        return {slot.pk: self.cleaned_data[f"slot_{slot.pk}"] for slot in self.slots}


class ExternalParticipantForm(KernForm):
    name = forms.CharField(label=_("Name"), max_length=150, error_messages={"required": _("Bitte geben Sie den Namen an.")})
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_("Die Person erhält einen persönlichen Link und antwortet ohne Konto."),
        error_messages={
            "required": _("Bitte geben Sie die E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an."),
        },
    )


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Slot) -> str:
        return when(obj.starts_at, obj.ends_at)


class ConfirmForm(KernForm):
    slot = SlotChoiceField(
        label=_("Termin bestätigen"),
        queryset=Slot.objects.none(),
        widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
        empty_label=None,
        help_text=_(
            "Der Termin erscheint im Kalender des Arbeitsbereichs; alle Teilnehmenden erhalten ihn per E-Mail mit Kalenderdatei."
        ),
        error_messages={
            "required": _("Bitte wählen Sie einen der vorgeschlagenen Termine."),
            "invalid_choice": _("Bitte wählen Sie einen der vorgeschlagenen Termine."),
        },
    )

    def __init__(self, *args, poll: Poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = poll.slots.all()
