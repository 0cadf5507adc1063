"""Render allauth's forms in the platform's KERN markup.

allauth builds its own form classes, so they cannot inherit lib.forms.KernFormMixin.
The ``kern`` filter gives an existing form instance the same widget classes and
ARIA wiring (hint and error ids, aria-invalid) just before it is rendered.
"""

from __future__ import annotations

from django import forms, template
from django.utils.translation import gettext as _

from lib.forms import TEXT_LIKE_WIDGETS as _TEXTLIKE

register = template.Library()


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "kern-form-check__checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "kern-form-check__radio"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        return "kern-form-input__select"
    if isinstance(widget, forms.Textarea):
        return "kern-form-input__input kern-textarea"
    if isinstance(widget, (*_TEXTLIKE, forms.SelectMultiple)):
        return "kern-form-input__input"
    return ""


@register.filter
def kern(form: forms.BaseForm | None) -> forms.BaseForm | None:
    """Decorate ``form``'s widgets once; returns the form for use in ``{% with %}``."""
    if form is None or getattr(form, "_kern_decorated", False):
        return form
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        bound = form[name]
        widget = field.widget
        attrs = widget.attrs
        classes = [c for c in attrs.get("class", "").split() if c]
        classes += [c for c in _widget_class(widget).split() if c not in classes]
        # Labels are always visible; allauth's placeholders only repeated them in lighter grey.
        attrs.pop("placeholder", None)
        if attrs.get("autocomplete") == "one-time-code":
            attrs.setdefault("inputmode", "numeric")
        describedby = []
        if field.help_text:
            describedby.append(f"{bound.auto_id}-hint")
        if form.is_bound and bound.errors:
            describedby.append(f"{bound.auto_id}-error")
            attrs["aria-invalid"] = "true"
            error_class = "kern-form-input__input--error"
            if isinstance(widget, forms.CheckboxInput):
                error_class = "kern-form-check__checkbox--error"
            elif isinstance(widget, forms.Select):
                error_class = "kern-form-input__select--error"
            classes.append(error_class)
        if describedby:
            attrs["aria-describedby"] = " ".join(describedby)
        attrs["class"] = " ".join(classes)
    form._kern_decorated = True
    return form


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    ("Windows", "Windows"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


@register.filter
def device_label(user_agent: str | None) -> str:
    """'Firefox unter Windows' instead of a raw user-agent string, so people recognise their devices."""
    user_agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return _("%(browser)s unter %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("unbekanntes Gerät")
