"""Panels that other apps hang into the project page, without editing its templates.

An app registers a function that gets the request and the project (already checked: the user may see
it) and returns a :class:`Panel` or ``None`` (nothing to show for this user)::

    from projects.panels import Panel, register

    @register
    def funding_panel(request, project):
        return Panel(title=_("Förderung"), template="funding/_project_panel.html", context={"notice": ...})

Register in the app's ``AppConfig.ready()`` (or a module it imports). The project page renders the panels
in registration order, each in its own section with the title as heading; the panel's template gets
``project``, ``request`` and the panel's ``context`` entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    slug: str = ""


PanelProvider = Callable[[Any, Any], "Panel | None"]

_providers: list[PanelProvider] = []


def register(provider: PanelProvider) -> PanelProvider:
    """Add ``provider`` (once, also when the module is imported twice); usable as a decorator."""
    key = (provider.__module__, provider.__qualname__)
    if not any((p.__module__, p.__qualname__) == key for p in _providers):
        _providers.append(provider)
    return provider


def unregister(provider: PanelProvider) -> None:
    key = (provider.__module__, provider.__qualname__)
    _providers[:] = [p for p in _providers if (p.__module__, p.__qualname__) != key]


def panels_for(request: Any, project: Any) -> list[Panel]:
    """The panels for the project page, in registration order; providers that return None are left out."""
    panels = []
    for index, provider in enumerate(_providers):
        panel = provider(request, project)
        if panel is not None:
            panel.slug = panel.slug or f"panel-{index}"
            panels.append(panel)
    return panels
