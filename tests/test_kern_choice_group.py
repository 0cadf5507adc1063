"""The survey's radio groups are rendered in Python (``lib.forms.ChoiceGroupField``) for speed; they must
produce exactly the bytes of the shared template ``forms/kern_field.html`` in every state a respondent sees."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.boundfield import BoundField
from django.utils import translation

from lib.forms import ChoiceGroupField, KernForm
from monitoring.forms import page_form_class
from monitoring.questionnaire import CORE_V1

pytestmark = pytest.mark.sqlite_fast


def _template_render(bound: ChoiceGroupField) -> str:
    """The same field rendered the ordinary way: Django's BoundField through the form renderer's template."""
    return str(BoundField.as_field_group(bound))


def _pages_in_states():
    everything = {item.key: item.choices[0][0] for item in CORE_V1.items}
    for page in CORE_V1.pages:
        form_class = page_form_class(page, everything)
        keys = list(form_class.base_fields)
        yield page.key, "unbound", form_class(initial={})
        yield page.key, "initial", form_class(initial={key: everything[key] for key in keys})
        yield page.key, "all missing", form_class(data={})
        yield page.key, "half answered", form_class(data={key: everything[key] for key in keys[::2]})
        yield page.key, "tampered value", form_class(data=dict.fromkeys(keys, '"><script>x</script>'))


@pytest.mark.parametrize("language", ["de", "en"])
def test_survey_radio_groups_equal_the_template(language):
    compared = 0
    with translation.override(language):
        for page, state, form in _pages_in_states():
            form.is_valid() if form.is_bound else None
            for name in form.fields:
                bound = form[name]
                assert isinstance(bound, ChoiceGroupField)
                assert str(bound.as_field_group()) == _template_render(bound), (page, state, name)
                compared += 1
    assert compared > 40


class _Odd(KernForm):
    """Corners the survey does not use today: optional group, help text, HTML in labels, no auto id."""

    pick = forms.ChoiceField(
        label="Wählen <b>Sie</b> & mehr",
        help_text="Hinweis mit <i>HTML</i>",
        required=False,
        choices=[("a", "A & B"), ("b", "<C>"), ("", "leer")],
        widget=forms.RadioSelect,
        bound_field_class=ChoiceGroupField,
    )


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"data": {"pick": "b"}}, {"data": {"pick": "zzz"}}, {"auto_id": False}, {"prefix": "x", "data": {"x-pick": "a"}}],
)
def test_corners_equal_the_template(kwargs):
    form = _Odd(**kwargs)
    if form.is_bound:
        form.is_valid()
    bound = form["pick"]
    assert str(bound.as_field_group()) == _template_render(bound)
