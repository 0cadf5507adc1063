"""The evidence of a practice example: a released monitoring indicator, picked from a list (issue 13).

Monitoring decides what is public (released waves; the all-cities row only when every wave is released;
suppressed cells never). The attacker posts the id of an unreleased or suppressed figure directly and looks
at what the public gets.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps as django_apps

from knowledge import actions
from knowledge.models import Revision
from monitoring.models import Wave
from tests.knowledge.scene import approve_twice, example_data, released_figures, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(cooperation):
    return released_figures()


def _form_data(**overrides):
    data = {k: v for k, v in example_data().items() if k != "cities"}
    data.update(overrides)
    return data


def test_the_form_offers_only_released_unsuppressed_figures(figures, client_for):
    page = client_for("contributor").get("/wissen/neu/").content.decode()
    picker = re.search(r'<select[^>]*name="evidence_indicator".*?</select>', page, re.S).group(0)
    assert f'value="{figures["essen"].pk}"' in picker
    assert "Einwanderungsgeschichte – Essen, Befragung 2025: 12,3 %" in picker
    for hidden in ("bochum", "herne", "total"):  # not released / suppressed / not every wave released
        assert f'value="{figures[hidden].pk}"' not in picker, hidden
    assert "31,7" not in page


@pytest.mark.parametrize("hidden", ["bochum", "herne", "total"])
def test_attacker_posting_an_unreleased_figure_is_refused(figures, client_for, personas, hidden):
    author = client_for("contributor")
    response = author.post("/wissen/neu/", _form_data(evidence_indicator=figures[hidden].pk))
    assert response.status_code == 400
    assert not personas["contributor"].practice_examples.exists()


def test_attacker_editing_in_an_unreleased_figure_is_refused(figures, client_for, personas):
    contributor = personas["contributor"]
    example = actions.create_example(contributor, example_data())
    response = client_for("contributor").post(
        f"/wissen/{example.pk}/bearbeiten/",
        _form_data(version=example.version, evidence_indicator=figures["bochum"].pk),
    )
    assert response.status_code == 400
    assert Revision.objects.get(pk=example.latest_id).evidence_indicator_id is None


def test_the_public_page_links_the_released_figure_and_drops_it_once_withdrawn(figures, client_for, personas):
    contributor = personas["contributor"]
    author = client_for("contributor")
    assert author.post("/wissen/neu/", _form_data(evidence_indicator=figures["essen"].pk)).status_code == 302
    example = contributor.practice_examples.get()
    actions.submit(contributor, example, example.version)
    example.refresh_from_db()
    actions.assign_reviewer(personas["office"], example, personas["member"])
    approve_twice(example, personas["office"], personas["member"])

    page = client_for("anonymous").get(f"/wissen/{example.pk}/").content.decode()
    assert 'href="/monitoring/ergebnisse/2025/essen/?konzept=eg"' in page
    assert "Einwanderungsgeschichte – Essen, Befragung 2025: 12,3 %" in page

    Wave.objects.filter(pk=figures["waves"]["essen"].pk).update(status=Wave.Status.FINAL)  # the office withdraws
    page = client_for("anonymous").get(f"/wissen/{example.pk}/").content.decode()
    assert "/monitoring/ergebnisse/2025/essen/" not in page
    assert "12,3" not in page


def test_attacker_a_figure_stored_before_it_was_unreleased_is_never_shown(figures, client_for, personas):
    """Even a reference in the database (e.g. from an old link) to an unreleased figure shows nothing."""
    contributor = personas["contributor"]
    example = submitted(contributor)
    Revision.objects.filter(pk=example.latest_id).update(evidence_indicator=figures["bochum"])
    actions.assign_reviewer(personas["office"], example, personas["member"])
    approve_twice(example, personas["office"], personas["member"])
    page = client_for("anonymous").get(f"/wissen/{example.pk}/").content.decode()
    assert "31,7" not in page and "/monitoring/ergebnisse/2025/bochum/" not in page


def test_an_old_free_link_stays_readable(personas, client_for, cooperation):
    contributor = personas["contributor"]
    example = submitted(contributor)
    Revision.objects.filter(pk=example.latest_id).update(evidence_url="https://example.org/bericht")
    actions.assign_reviewer(personas["office"], example, personas["member"])
    approve_twice(example, personas["office"], personas["member"])
    page = client_for("anonymous").get(f"/wissen/{example.pk}/").content.decode()
    assert 'href="https://example.org/bericht"' in page
    actions.save_draft(contributor, example, example.version, {"title": "Neuer Titel"})
    example.refresh_from_db()
    assert Revision.objects.get(pk=example.latest_id).evidence_url == "https://example.org/bericht"


def test_the_data_migration_turns_links_to_public_results_into_references(figures, personas):
    import importlib

    migration = importlib.import_module("knowledge.migrations.0003_evidence_url_to_indicator")
    example = submitted(personas["contributor"])
    Revision.objects.filter(pk=example.latest_id).update(
        evidence_url="https://interkommunal.example/monitoring/ergebnisse/2025/essen/?konzept=eg"
    )
    migration.forwards(django_apps, None)
    assert Revision.objects.get(pk=example.latest_id).evidence_indicator_id == figures["essen"].pk
    migration.backwards(django_apps, None)
    assert Revision.objects.get(pk=example.latest_id).evidence_indicator_id is None
