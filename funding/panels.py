"""The funding panel on the project page (``projects.panels``): status of the application and a link.

Only for people who may see the project's funding (``access.viewer_for``); the public project page has no
panels, and nobody else gets one.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from projects.panels import Panel, register

from .access import viewer_for
from .models import Application


@register
def funding_panel(request: Any, project: Any) -> Panel | None:
    viewer = viewer_for(request.user, project)
    if viewer is None:
        return None
    application = Application.objects.filter(project=project).select_related("programme", "notice").order_by("-created").first()
    return Panel(
        title=_("Förderung"),
        template="funding/_project_panel.html",
        context={"application": application, "notice": getattr(application, "notice", None), "manage": viewer.manage},
        slug="funding",
    )
