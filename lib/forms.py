"""Forms rendered in KERN markup with accessible errors.

Every field gets KERN classes, ``aria-describedby`` pointing at its hint and
error, and ``aria-invalid`` when it failed; each form renders an error summary
linked to the fields (WCAG 3.3.1, 3.3.3).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

TEXT_LIKE_WIDGETS = (
    forms.TextInput,
    forms.EmailInput,
    forms.URLInput,
    forms.NumberInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
)


class KernFormRenderer(TemplatesSetting):
    form_template_name = "forms/kern_form.html"
    field_template_name = "forms/kern_field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FastSelect(forms.Select):
    """A ``<select>`` rendered in Python.

    Django renders every ``<option>`` through its own template, which made a filter form
    with a few dozen options cost more than the rest of the page. The markup is the same.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html("<select{}>", flatatt({"name": widget["name"], **widget["attrs"]}))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option["value"] if option["value"] is not None else "",
                        mark_safe(" selected") if option["selected"] else "",
                        option["label"],
                    )
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part escaped by format_html


def _option_attrs(attrs: dict) -> str:
    """Attributes in the order and form of Django's ``attrs.html``: ``True`` as a bare name, ``False`` left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{conditional_escape(value)}"')
    return "".join(parts)


def _hint_and_errors(auto_id, help_text, errors) -> str:
    """The hint and the error list under a field's label, byte for byte as ``forms/kern_field.html`` writes them."""
    out = []
    if help_text:
        out.append(f'<div class="kern-hint" id="{conditional_escape(auto_id)}-hint">{conditional_escape(help_text)}</div>')
    out.append("\n  ")
    if errors:
        out.append(f'<div class="kern-error" id="{conditional_escape(auto_id)}-error">')
        for error in errors:
            out.append(
                '<p><span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>'
                f"<span>{conditional_escape(error)}</span></p>"
            )
        out.append("</div>")
    return "".join(out)


class ChoiceGroupField(BoundField):
    """A radio group rendered in Python, with exactly the markup of ``forms/kern_field.html``.

    The template renders every option through Django's widget templates; on the survey's pages (six
    groups of up to nine options, all pages of every respondent) that was most of the server's work.
    ``tests/test_kern_forms.py`` checks that both produce the same bytes.
    """

    def as_field_group(self) -> SafeString:
        errors = self.errors
        auto_id = self.auto_id
        out = ['<fieldset class="kern-fieldset', " kern-fieldset--error" if errors else "", '">\n  <legend class="kern-label">']
        out.append(conditional_escape(self.label))
        if not self.field.required and not getattr(self.form, "hide_optional_marks", False):
            out.append(f' <span class="kern-hint-inline">({gettext("optional")})</span>')
        out.append("</legend>\n  ")
        out.append(_hint_and_errors(auto_id, self.help_text, errors))
        out.append('\n  <div class="kern-fieldset__body choice-list">')
        for choice in self.subwidgets:
            data = choice.data
            value = "" if data["value"] is None else f' value="{conditional_escape(str(data["value"]))}"'
            out.append(
                f'<div class="kern-form-check"><input type="{data["type"]}" name="{conditional_escape(data["name"])}"{value}'
                f'{_option_attrs(data["attrs"])}><label class="kern-label" for="{conditional_escape(str(data["attrs"].get("id")))}">'
                f"{conditional_escape(data['label'])}</label></div>"
            )
        out.append("</div>\n</fieldset>")
        return mark_safe("".join(str(part) for part in out))  # noqa: S308 - every user-facing part escaped above


class InputGroupField(BoundField):
    """A text input or a select with its label, hint and errors, rendered in Python with exactly the markup
    of ``forms/kern_field.html`` (its last branch); other widgets go through the template as before.

    On the directory, whose filter form is on every request, the five field templates cost about as
    much as the rest of the page's rendering. ``tests/test_kern_input_group.py`` checks that both
    produce the same bytes.
    """

    def as_field_group(self) -> SafeString:
        if self.widget_type in ("checkbox", "radioselect", "checkboxselectmultiple"):
            return super().as_field_group()
        errors = self.errors
        field = self.field
        out = [
            '<div class="kern-form-input',
            " kern-form-input--error" if errors else "",
            '">\n  <label class="kern-label" for="',
        ]
        out.append(f'{conditional_escape(self.id_for_label)}">{conditional_escape(self.label)}')
        required_when = getattr(field, "required_when", None)
        if required_when:
            out.append(f' <span class="kern-hint-inline">({conditional_escape(required_when)})</span>')
        elif not field.required and not getattr(self.form, "hide_optional_marks", False):
            out.append(f' <span class="kern-hint-inline">({conditional_escape(gettext("optional"))})</span>')
        out.append("</label>\n  ")
        out.append(_hint_and_errors(self.auto_id, self.help_text, errors))
        out.append("\n  ")
        if self.widget_type in ("select", "fastselect"):
            out.append(f'<div class="kern-form-input__select-wrapper">{self}</div>')
        else:
            out.append(str(self))
        out.append("\n</div>")
        return mark_safe("".join(str(part) for part in out))  # noqa: S308 - every user-facing part escaped above


class ListedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """Reads a choice list with one ordinary query.

    Django's iterator streams choices through ``QuerySet.iterator()``, which on PostgreSQL opens a
    server-side cursor ``WITH HOLD`` — several round trips that cost more than the few rows of a
    choice list (cities, bodies).
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        objects = self.field.listed() if isinstance(self.field, ListedModelChoiceField) else self.queryset.all()
        for obj in objects:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A choice among a few rows (cities, bodies): one query serves validation and the options."""

    iterator = ListedModelChoiceIterator

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._listed = None

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._listed = None
        return result

    def listed(self) -> list:
        if self._listed is None:
            self._listed = list(self.queryset)
        return self._listed

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for obj in self.listed():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class KernFormMixin:
    """Mix into a Form/ModelForm to get KERN widgets and ARIA wiring."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ListedModelChoiceIterator
                field.widget.choices = field.choices
            widget = field.widget
            css = widget.attrs.get("class", "")
            if isinstance(widget, forms.Select) and not isinstance(widget, (forms.SelectMultiple, forms.RadioSelect)):
                css += " kern-form-input__select"
                if type(widget) is forms.Select:
                    fast = FastSelect(attrs=widget.attrs, choices=widget.choices)
                    fast.is_required = widget.is_required
                    field.widget = widget = fast
            elif isinstance(widget, forms.Textarea):
                css += " kern-form-input__input kern-textarea"
            elif isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
                css += "" if "kern-form-check__" in css else " kern-form-check__checkbox"
            elif isinstance(widget, forms.RadioSelect):
                css += "" if "kern-form-check__" in css else " kern-form-check__radio"
            elif isinstance(widget, (*TEXT_LIKE_WIDGETS, forms.SelectMultiple)):
                css += " kern-form-input__input"
            widget.attrs["class"] = css.strip()
            if isinstance(widget, forms.DateInput) and not isinstance(widget, DateInput):
                field.widget = DateInput(attrs=widget.attrs)
            if field.required and not isinstance(widget, forms.CheckboxInput):
                field.widget.attrs["aria-required"] = "true"
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self._field_id(name)}-hint"

    def _field_id(self, name: str) -> str:
        return self.auto_id % self.add_prefix(name) if self.auto_id else self.add_prefix(name)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                css = widget.attrs.get("class", "")
                for check in ("kern-form-check__radio", "kern-form-check__checkbox"):
                    if check in css.split():
                        css += f" {check}--error"
                        break
                else:
                    css += " kern-form-input__input--error"
                widget.attrs["class"] = css
                ids = [f"{self._field_id(name)}-error"]
                if self.fields[name].help_text:
                    ids.insert(0, f"{self._field_id(name)}-hint")
                widget.attrs["aria-describedby"] = " ".join(ids)


class KernForm(KernFormMixin, forms.Form):
    pass


class KernModelForm(KernFormMixin, forms.ModelForm):
    pass
