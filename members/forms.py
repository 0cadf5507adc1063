from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField
from lib.forms import DateInput, InputGroupField, KernForm, KernModelForm, ListedModelChoiceField
from lib.fragments import cached_rows

from .models import Body, Membership, Municipality, Person


class DirectoryFilterForm(KernForm):
    hide_optional_marks = True  # every filter is optional; saying so on each one is noise
    bound_field_class = InputGroupField  # on every directory request: rendered in Python (lib/forms.py)
    q = forms.CharField(label=_("Suche"), required=False, max_length=200, help_text=_("Name, Fachbereich oder Funktion"))
    city = ListedModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("alle Kommunen"),
    )
    body = ListedModelChoiceField(
        label=_("Gremium"), queryset=Body.objects.all(), required=False, to_field_name="slug", empty_label=_("alle Gremien")
    )
    role = forms.ChoiceField(label=_("Rolle"), required=False, choices=[("", _("alle Rollen"))] + list(Membership.Role.choices))
    department = forms.CharField(label=_("Fachbereich"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        city, body = self.fields["city"], self.fields["body"]
        # The cities and bodies change rarely: one stamp query instead of reading both lists (lib/fragments.py).
        city._listed, body._listed = cached_rows(
            "directory-choices", [Municipality, Body], lambda: (list(city.queryset), list(body.queryset))
        )


MUNICIPALITY_FIELDS = [
    "name",
    "short_name",
    "ags",
    "join_date",
    "contract_signed_on",
    "council_decision_reference",
    "council_decision_date",
    "status",
    "left_on",
    "website",
    "integration_centre_name",
    "integration_centre_email",
    "integration_centre_phone",
    "integration_centre_address",
]


class MunicipalityForm(KernModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Municipality
        fields = MUNICIPALITY_FIELDS
        widgets = {
            "join_date": DateInput(),
            "contract_signed_on": DateInput(),
            "council_decision_date": DateInput(),
            "left_on": DateInput(),
            "integration_centre_address": forms.Textarea(attrs={"rows": 3}),
            "ags": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 8}),
        }
        help_texts = {"ags": _("8 Ziffern, z. B. 05914000 für Hagen")}


PERSON_FIELDS = [
    "salutation",
    "title",
    "given_name",
    "family_name",
    "pronouns",
    "municipality",
    "organisation",
    "department",
    "function",
    "email",
    "phone",
    "mobile",
    "profile_visibility",
    "email_visibility",
    "phone_visibility",
    "language",
]


class PersonForm(KernModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "given_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "family_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "mobile": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].required = False  # a form without the choice keeps the person's language

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language or "de"


class OwnProfileForm(PersonForm):
    """What a person may change about themselves: not their city or organisation."""

    class Meta(PersonForm.Meta):
        fields = [f for f in PERSON_FIELDS if f not in {"municipality", "organisation", "email"}]


class MembershipForm(KernModelForm):
    class Meta:
        model = Membership
        fields = ["body", "role", "municipality", "deputy_for", "start_date", "end_date", "note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.person = person
        self.fields["deputy_for"].queryset = Membership.objects.current().exclude(person=person).select_related("person", "body")
        self.fields["deputy_for"].required = False
        self.fields["municipality"].help_text = _("Leer lassen, um die Kommune der Person zu übernehmen.")


class EndMembershipForm(KernForm):
    end_date = forms.DateField(label=_("Ende der Mitgliedschaft"), widget=DateInput())
