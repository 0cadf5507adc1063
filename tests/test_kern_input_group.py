"""The directory's filter fields are rendered in Python (``lib.forms.InputGroupField``) for speed; they must
produce exactly the bytes of the shared template ``forms/kern_field.html`` in every state a visitor sees."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.boundfield import BoundField
from django.utils import translation

from lib.forms import InputGroupField, KernForm
from members.forms import DirectoryFilterForm

pytestmark = pytest.mark.sqlite_fast


def _template_render(bound: InputGroupField) -> str:
    """The same field rendered the ordinary way: Django's BoundField through the form renderer's template."""
    return str(BoundField.as_field_group(bound))


def _compare(form) -> int:
    if form.is_bound:
        form.is_valid()
    for name in form.fields:
        bound = form[name]
        assert isinstance(bound, InputGroupField)
        assert str(bound.as_field_group()) == _template_render(bound), name
    return len(form.fields)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"city": "essen", "body": "projektteam", "q": "a"},
        {"city": "nirgendwo", "role": "kaiser", "q": "x" * 300},
        {"q": '"><script>alert(1)</script>', "department": "<b>Amt</b> & Co"},
    ],
)
def test_directory_filter_fields_equal_the_template(cooperation, language, data):
    with translation.override(language):
        assert _compare(DirectoryFilterForm(data)) == 5


class _Odd(KernForm):
    """Corners the directory does not use today: required fields, hints with HTML, a condition, a checkbox."""

    name = forms.CharField(label="Name <b>fett</b> & mehr", help_text="Hinweis mit <i>HTML</i>")
    note = forms.CharField(label="Notiz", required=False, widget=forms.Textarea)
    when = forms.DateField(label="Datum", required=False)
    pick = forms.ChoiceField(label="Wahl", choices=[("a", "A & B"), ("b", "<C>")], required=False)
    agree = forms.BooleanField(label="Einverstanden", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["when"].required_when = "wenn <Termin>"

    bound_field_class = InputGroupField


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"data": {"name": "", "pick": "zzz", "when": "gestern"}},
        {"data": {"name": "Ada", "pick": "b", "agree": "on"}},
        {"auto_id": False},
        {"prefix": "x", "data": {"x-name": "<i>"}},
    ],
)
def test_corners_equal_the_template(kwargs):
    assert _compare(_Odd(**kwargs)) == 5
