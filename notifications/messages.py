"""Texts stored in German but shown in the reader's language.

An event's subject is written once, when it happens, in German (mails go out in German). To show
it in the English interface too, the caller passes a :class:`Translatable`: a German ``str`` that
also remembers its message id and parameters; :func:`notifications.actions.notify` stores both, and
``Event.display_subject`` translates them again in the language of whoever reads the page.

    subject=Translatable(gettext_noop("Neue Aufgabe für Sie: %(title)s"), {"title": task.title})

Parameters that are translatable themselves (a status label) are passed as lazy strings.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, override


def _stored(value) -> object:
    if isinstance(value, Promise):
        with override("de"):
            return {"t": str(value)}
    return str(value)


def _shown(value) -> str:
    if isinstance(value, dict) and "t" in value:
        return gettext(value["t"])
    return str(value)


class Translatable(str):
    """German text (the ``str`` itself) plus what is needed to translate it later (``as_json``)."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, params: dict | None = None):
        params = dict(params or {})
        with override("de"):
            text = render({"msgid": msgid, "params": {k: _stored(v) for k, v in params.items()}})
        obj = super().__new__(cls, text)
        obj.msgid = msgid
        obj.params = params
        return obj

    def as_json(self) -> dict:
        return {"msgid": self.msgid, "params": {k: _stored(v) for k, v in self.params.items()}}


def render(message: dict) -> str:
    """The stored message in the active language (German where no translation exists)."""
    text = gettext(message["msgid"])
    params = {k: _shown(v) for k, v in (message.get("params") or {}).items()}
    return text % params if params else text
