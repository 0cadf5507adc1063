from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField

from .actions import approval_candidates


class DraftForm(forms.Form):
    year = forms.IntegerField(label=_("Berichtsjahr"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: Absätze durch Leerzeilen, **fett**, - Aufzählung, [Link](https://…)"),
    )
    version = VersionField()


class VersionForm(forms.Form):
    version = VersionField()


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("Was wird berichtigt?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Der Hinweis erscheint in der neuen Fassung und auf der Website."),
    )


class ApprovalForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label=_("Tagesordnungspunkt der Regiegruppe mit dem Beschluss"), queryset=None, empty_label=_("Bitte wählen")
    )
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agenda_item"]
        field.queryset = approval_candidates()
        field.label_from_instance = (
            lambda item: f"{timezone.localtime(item.meeting.start):%d.%m.%Y} {item.meeting.title}: {item.title}"
        )
