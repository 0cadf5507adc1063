from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.forms import KernFormMixin

from .actions import Entry
from .evidence import parse_links
from .models import Answer, Factor, Round

NOT_ASSESSABLE = "nb"


class _Sheet(forms.Form):
    """All items of a round for one rater: a value (0–4 or "nicht beurteilbar"), a comment, evidence links
    and the version of the answer the rater started from. Rendered by the template item by item."""

    def __init__(self, *args, selfcheck_round: Round, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.round = selfcheck_round
        self.items = list(selfcheck_round.items())
        answers = {a.item_id: a for a in Answer.objects.filter(round=selfcheck_round, rater=user).prefetch_related("evidence")}
        levels = selfcheck_round.checklist.levels
        choices = [(str(i), levels[i] if i < len(levels) else str(i)) for i in range(5)] + [
            (NOT_ASSESSABLE, _("nicht beurteilbar"))
        ]
        for item in self.items:
            answer = answers.get(item.pk)
            initial = ""
            if answer is not None:
                initial = NOT_ASSESSABLE if answer.not_assessable else str(answer.value)
            self.fields[f"v{item.pk}"] = forms.ChoiceField(
                label=item.text, choices=choices, required=False, widget=forms.RadioSelect, initial=initial
            )
            self.fields[f"c{item.pk}"] = forms.CharField(
                label=_("Kommentar"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=answer.comment if answer else "",
            )
            self.fields[f"e{item.pk}"] = forms.CharField(
                label=_("Belege"),
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_(
                    "Adressen von Dokumenten, Sitzungen, Beschlüssen (…/sitzungen/12/#beschluss-3) oder Befragungswellen "
                    "auf dieser Plattform, eine je Zeile."
                ),
                initial="\n".join(e.url for e in answer.evidence.all()) if answer else "",
            )
            self.fields[f"ver{item.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=0, initial=answer.version if answer else 0
            )
        self.answers = answers

    def rows(self):
        """(factor, [(item, value field, comment field, evidence field, version field, answer)]) in order."""
        grouped: dict[int, tuple] = {}
        for item in self.items:
            factor = grouped.setdefault(item.factor_id, (item.factor, []))
            factor[1].append(
                (
                    item,
                    self[f"v{item.pk}"],
                    self[f"c{item.pk}"],
                    self[f"e{item.pk}"],
                    self[f"ver{item.pk}"],
                    self.answers.get(item.pk),
                )
            )
        return list(grouped.values())

    def clean(self):
        data = super().clean()
        entries = []
        for item in self.items:
            choice = data.get(f"v{item.pk}") or ""
            try:
                links = tuple(parse_links(self.user, data.get(f"e{item.pk}", "")))
            except ValidationError as exc:
                self.add_error(f"e{item.pk}", exc)
                continue
            entries.append(
                Entry(
                    item=item,
                    value=int(choice) if choice.isdigit() else None,
                    not_assessable=choice == NOT_ASSESSABLE,
                    comment=data.get(f"c{item.pk}", ""),
                    links=links,
                    version=data.get(f"ver{item.pk}") or 0,
                )
            )
        data["entries"] = entries
        return data


class SheetForm(KernFormMixin, _Sheet):
    """The sheet in KERN markup (the mixin styles the fields the sheet adds in its ``__init__``)."""

    hide_optional_marks = True


class OpenRoundForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Bezeichnung der Runde"), max_length=100, help_text=_("z. B. „Selbstcheck 2026“"))


class ItemForm(KernFormMixin, forms.Form):
    factor = forms.ModelChoiceField(label=_("Erfolgsfaktor"), queryset=Factor.objects.none())
    key = forms.SlugField(
        label=_("Kennung"), max_length=80, help_text=_("Kurz, ohne Leerzeichen; bleibt über alle Fassungen gleich.")
    )
    text = forms.CharField(label=_("Frage"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factor"].queryset = checklist.factors.all()


class FollowUpForm(KernFormMixin, forms.Form):
    items = forms.MultipleChoiceField(label=_("Prüffragen"), choices=(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = choices


def coming_steering_meetings():
    """Regiegruppe meetings whose agenda is still open: not held, not cancelled, not deleted, not yet begun."""
    from django.utils import timezone

    from meetings.models import Meeting, MeetingStatus
    from members.models import Body

    return (
        Meeting.objects.alive()
        .filter(body__kind=Body.Kind.STEERING_GROUP, start__gte=timezone.now())
        .exclude(status__in=[MeetingStatus.HELD, MeetingStatus.CANCELLED])
        .select_related("body")
        .order_by("start")
    )


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        from django.utils import formats, timezone

        return f"{obj.title} – {formats.date_format(timezone.localtime(obj.start), 'SHORT_DATETIME_FORMAT')}"


class AgendaForm(KernFormMixin, forms.Form):
    meeting = _MeetingChoice(
        label=_("Sitzung der Regiegruppe"),
        queryset=None,
        empty_label=_("Bitte wählen"),
        error_messages={
            "required": _("Bitte wählen Sie die Sitzung, auf deren Tagesordnung die Zusammenfassung kommt."),
            "invalid_choice": _("Diese Sitzung steht nicht zur Auswahl (vergangen, abgesagt oder nicht der Regiegruppe)."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = coming_steering_meetings()
