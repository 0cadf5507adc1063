"""The project page shows the funding panel to those who may see the funding, and only to them."""

from __future__ import annotations

import pytest

from members.models import Municipality
from projects import actions as project_actions

pytestmark = pytest.mark.django_db


def test_the_project_page_carries_the_funding_panel_for_the_office_only(personas, client_for):
    project = project_actions.create_project(
        personas["office"], title="Panelprojekt", lead_municipality=Municipality.objects.get(slug="essen"), summary="Kurz"
    )
    page = client_for("office").get(f"/projekte/{project.slug}/").content.decode()
    assert 'id="funding-heading"' in page and f"/projekte/{project.slug}/foerderung/" in page
    assert "Förderung erfassen" in page

    project.refresh_from_db()
    project_actions.release(personas["office"], project, project.version)
    public = client_for("anonymous").get(f"/gemeinschaftsprojekte/{project.slug}/").content.decode()
    assert 'id="funding-heading"' not in public and "/foerderung/" not in public
