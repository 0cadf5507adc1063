from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import DateInput, KernForm
from members.models import Municipality

from .registry import providers
from .text import MAX_QUERY_CHARS


class SearchForm(KernForm):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=10_000)
    typ = forms.ChoiceField(label=_("Art"), required=False)
    arbeitsbereich = forms.ChoiceField(label=_("Arbeitsbereich"), required=False)
    stadt = forms.ModelChoiceField(
        label=_("Stadt"), queryset=Municipality.objects.all(), required=False, to_field_name="slug", empty_label=_("alle Städte")
    )
    von = forms.DateField(label=_("Datum von"), required=False, widget=DateInput())
    bis = forms.DateField(label=_("Datum bis"), required=False, widget=DateInput())
    hide_optional_marks = True

    def __init__(self, *args, workspaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.fields["q"].help_text = _(
            "Wörter, „Phrase in Anführungszeichen“, Wortanfang mit * (z. B. Ausbild*), -Wort schließt aus."
        )
        self.fields["q"].widget.attrs["aria-describedby"] = f"{self._field_id('q')}-hint"
        kinds = sorted(((p.kind, p.label) for p in providers()), key=lambda choice: str(choice[1]))
        self.fields["typ"].choices = [("", _("alle Arten")), *kinds]
        self.fields["arbeitsbereich"].choices = [("", _("alle Arbeitsbereiche"))] + [(w.slug, w.name) for w in workspaces]
        self.workspace_ids = {w.slug: w.pk for w in workspaces}

    def clean_q(self):
        # Long input is cut, never refused: the search answers what it can.
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_CHARS]

    def clean(self):
        data = super().clean()
        if data.get("von") and data.get("bis") and data["bis"] < data["von"]:
            self.add_error("bis", _("Das Enddatum liegt vor dem Anfangsdatum."))
        return data

    @staticmethod
    def day_start(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
