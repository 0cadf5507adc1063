"""On the day and afterwards: check-in, PDFs, certificates only for attendance, feedback, deletion by the
retention rules, and the figures for the annual report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from events import actions, housekeeping, links
from events.models import AccessibilityNeed, Registration
from events.reporting import participants_per_city
from members.models import Municipality
from tests.events.conftest import make_forum

pytestmark = pytest.mark.django_db


def register(event, name, **kwargs):
    return actions.register(event, name=name, email=f"{name.split()[0].lower()}@example.org", **kwargs)


def test_check_in_is_idempotent_and_refuses_foreign_codes(forum, personas):
    office = personas["office"]
    ada = register(forum, "Ada Beispiel")
    first = actions.check_in(office, forum, ada.code.lower(), request_id="req-1")
    assert first.outcome == "checked_in"
    assert actions.check_in(office, forum, ada.code, request_id="req-1").outcome == "repeat"
    again = actions.check_in(office, forum, ada.code, request_id="req-2")
    assert again.outcome == "already" and again.registration.checked_in_at == first.registration.checked_in_at
    other = make_forum(office, slug="anderes-forum")
    bea = register(other, "Bea Beispiel")
    with pytest.raises(ValidationError, match="anderen Veranstaltung"):
        actions.check_in(office, forum, bea.code)
    with pytest.raises(ValidationError, match="kennen wir nicht"):
        actions.check_in(office, forum, "NICHTDA")
    with pytest.raises(ValidationError):
        actions.check_in(personas["member"], forum, ada.code)
    assert AuditEvent.objects.filter(action="event.checked_in").count() == 1


def test_check_in_page_on_the_phone_answers_a_resent_post_calmly(forum, client_for):
    ada = register(forum, "Ada Beispiel")
    office = client_for("office")
    url = f"/veranstaltungen/{forum.slug}/verwaltung/einlass/"
    assert ada.code in office.get(url + f"?code={ada.code}").content.decode()
    first = office.post(url, {"code": ada.code, "request_id": "abc"})
    resent = office.post(url, {"code": ada.code, "request_id": "abc"})
    assert first.status_code == resent.status_code == 200
    assert "ist eingecheckt" in resent.content.decode()
    used = office.post(url, {"code": ada.code, "request_id": "other"}).content.decode()
    assert "Code bereits verwendet" in used


def test_walk_in_is_registered_and_checked_in(forum, personas):
    walk_in = actions.walk_in(personas["office"], forum, name="Wim Spontan", municipality=Municipality.objects.get(slug="herne"))
    assert walk_in.walk_in and walk_in.checked_in_at is not None


def test_certificate_only_with_two_of_three_workshops(forum, personas, client):
    office = personas["office"]
    w1, w2, w3 = forum.sessions.all()
    ada = register(forum, "Ada Beispiel", session_ids=[w1.pk, w2.pk, w3.pk])
    bea = register(forum, "Bea Beispiel", session_ids=[w1.pk, w2.pk])
    cem = register(forum, "Cem Beispiel")
    for person, sessions in ((ada, [w1, w3]), (bea, [w1])):
        for session in sessions:
            actions.check_in(office, forum, person.code, session=session)
    assert actions.certificate_allowed(Registration.objects.get(pk=ada.pk))
    assert not actions.certificate_allowed(Registration.objects.get(pk=bea.pk))  # checked in, one workshop only
    assert not actions.certificate_allowed(cem)  # never came
    url = "/veranstaltungen/anmeldung/{}/bescheinigung.pdf"
    response = client.get(url.format(links.registration_token(ada)))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    root = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged: screen readers follow the structure
    assert "Ada Beispiel" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert client.get(url.format(links.registration_token(bea))).status_code == 404
    assert client.get(url.format(links.registration_token(cem))).status_code == 404


def test_badges_and_signature_list_for_organisers_only(forum, client_for):
    register(forum, "Ada Beispiel", municipality=Municipality.objects.get(slug="essen"))
    for name in ("namensschilder", "unterschriften"):
        url = f"/veranstaltungen/{forum.slug}/verwaltung/{name}.pdf"
        response = client_for("office").get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert client_for("member").get(url).status_code == 404


def test_accessibility_needs_only_for_named_organisers(forum, personas, client_for):
    register(forum, "Ada Beispiel", needs={"wheelchair": True, "dietary": "vegan"}, needs_consent=True)
    register(forum, "Bea Beispiel", needs={"wheelchair": True, "sign_language": True}, needs_consent=True)
    url = f"/veranstaltungen/{forum.slug}/verwaltung/barrierefreiheit/"
    assert "vegan" in client_for("office").get(url).content.decode()  # named organiser
    assert client_for("admin").get(url).status_code == 404  # may run the event, is not named
    manage = client_for("admin").get(forum.get_manage_url()).content.decode()
    assert "2 Rollstuhlplätze, 1 Personen mit DGS-Dolmetschung" in manage and "vegan" not in manage


def test_accessibility_data_is_deleted_after_the_set_days(forum):
    register(forum, "Ada Beispiel", needs={"wheelchair": True}, needs_consent=True)
    after = forum.ends_at + dt.timedelta(days=forum.accessibility_retention_days)
    with time_machine.travel(after - dt.timedelta(hours=1), tick=False):
        assert housekeeping.run()["accessibility_deleted"] == 0
    with time_machine.travel(after + dt.timedelta(hours=1), tick=False):
        assert housekeeping.run()["accessibility_deleted"] == 1
        assert housekeeping.run()["accessibility_deleted"] == 0
    assert not AccessibilityNeed.objects.exists()
    assert AuditEvent.objects.get(action="event.accessibility.deleted").after == {"deleted": 1}
    assert Registration.objects.get(name="Ada Beispiel")  # the registration itself stays until the retention rule


def test_personal_data_goes_by_the_retention_rule_and_the_figures_stay(forum, personas):
    essen = Municipality.objects.get(slug="essen")
    ada = register(forum, "Ada Beispiel", municipality=essen)
    register(forum, "Bea Beispiel", municipality=essen)
    walk_in = actions.walk_in(personas["office"], forum, name="Wim Spontan")
    actions.check_in(personas["office"], forum, ada.code)
    year = timezone.localtime(forum.starts_at).year
    assert participants_per_city(year) == {essen.pk: 1, None: 1}
    with time_machine.travel(forum.ends_at + dt.timedelta(days=forum.retention_days, hours=1), tick=False):
        assert housekeeping.run()["anonymised"] == 3
    ada.refresh_from_db()
    assert ada.anonymised and "Ada" not in ada.name and "ada" not in ada.email
    assert participants_per_city(year) == {essen.pk: 1, None: 1}
    assert walk_in.pk


def test_feedback_after_attending(forum, personas, client):
    ada = register(forum, "Ada Beispiel")
    with pytest.raises(ValidationError):
        actions.give_feedback(ada, rating=5)
    actions.check_in(personas["office"], forum, ada.code)
    with time_machine.travel(forum.ends_at + dt.timedelta(hours=1), tick=False):
        response = client.post(
            f"/veranstaltungen/anmeldung/{links.registration_token(ada)}/rueckmeldung/",
            {"rating": "4", "comment": "Gern wieder."},
        )
        assert response.status_code == 302
    assert forum.feedback.get().rating == 4
