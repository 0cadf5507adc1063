"""Every model that holds personal data is declared in the record of processing activities (Art. 30 GDPR)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from privacy.registry import ACTIVITIES, MODELS, Erasure, holds_personal_data

pytestmark = pytest.mark.sqlite_fast


def test_every_model_with_personal_data_has_privacy_metadata():
    missing = [model._meta.label for model in apps.get_models() if holds_personal_data(model) and model._meta.label not in MODELS]
    assert not missing, f"Models with personal data but no entry in privacy/registry.py: {missing}"


def test_the_heuristic_sees_names_contacts_and_links_to_people():
    assert holds_personal_data(apps.get_model("members.Person"))
    assert holds_personal_data(apps.get_model("news.Comment"))  # author → account
    assert holds_personal_data(apps.get_model("meetings.MeetingGuest"))  # name and e-mail, no link
    assert not holds_personal_data(apps.get_model("members.Body"))


def test_every_entry_is_complete_and_its_links_exist():
    for label, meta in MODELS.items():
        assert meta.activity in ACTIVITIES, label
        assert meta.categories, label
        assert set(meta.trace_fields) <= set(meta.user_fields) | set(meta.person_fields), label
        if meta.erasure == Erasure.KEEP:
            assert meta.keep_reason, f"{label} is kept on erasure without a reason"
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for name in (*meta.person_fields, *meta.user_fields, *meta.email_fields):
            field = model._meta.get_field(name)
            assert isinstance(field, (models.Field, models.ForeignObjectRel)), (label, name)
    for activity in ACTIVITIES.values():
        assert activity.purpose and activity.legal_basis and activity.subjects and activity.recipients and activity.retention


@pytest.mark.django_db
def test_office_reads_the_record_and_downloads_it(client_for):
    page = client_for("office").get("/verwaltung/datenschutz/verzeichnis/")
    assert page.status_code == 200
    assert "Personen- und Gremienverzeichnis" in page.content.decode()
    download = client_for("office").get("/verwaltung/datenschutz/verzeichnis.md")
    text = download.content.decode()
    assert download["Content-Disposition"].startswith("attachment")
    assert text.startswith("# Verzeichnis von Verarbeitungstätigkeiten")
    assert "`members.Person`" in text and "Rechtsgrundlage" in text
    assert client_for("member").get("/verwaltung/datenschutz/verzeichnis.md").status_code == 404
