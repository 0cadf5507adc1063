"""The personas of issue 13: the city coordinator and the participant without an account, and the organisers'
versioned edit. Each reaches only what their link or role opens; everything else is 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from events import actions, links
from events.models import Event, Registration
from members.models import Municipality
from tests.events.conftest import make_forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas):
    office = personas["office"]
    event = make_forum(office, capacity=10, contingent_deadline=timezone.now() + dt.timedelta(days=5))

    def contingent(slug: str):
        return actions.add_contingent(
            office,
            event,
            municipality=Municipality.objects.get(slug=slug),
            places=2,
            coordinator_name=f"Koordination {slug}",
            coordinator_email=f"{slug}@stadt.example",
        )

    essen, hagen = contingent("essen"), contingent("hagen")
    hagen_guest = actions.register(event, name="Hanna Hagen", email="hanna@hagen.example", contingent=hagen)
    participant = actions.register(event, name="Paula Teilnehmerin", email="paula@example.org")
    return {"event": event, "essen": essen, "hagen": hagen, "hagen_guest": hagen_guest, "participant": participant}


def test_city_coordinator_manages_only_her_contingent(scene, client):
    essen_link = f"/veranstaltungen/kontingent/{links.contingent_token(scene['essen'])}/"
    page = client.get(essen_link).content.decode()
    assert "Kontingent Essen" in page and "Hanna Hagen" not in page
    response = client.post(essen_link, {"name": "Emil Essen", "email": "emil@essen.example"})
    assert response.status_code == 302
    assert Registration.objects.get(email="emil@essen.example").contingent == scene["essen"]
    # Another city's guest through her own link: 404, nothing cancelled.
    assert client.post(essen_link + f"absagen/{scene['hagen_guest'].pk}/").status_code == 404
    scene["hagen_guest"].refresh_from_db()
    assert scene["hagen_guest"].status == Registration.Status.CONFIRMED
    # Her link does not open the organisers' pages, and a coordinator link is no participant link.
    assert client.get(f"/veranstaltungen/{scene['event'].slug}/verwaltung/").status_code == 302  # to the login
    assert client.get(f"/veranstaltungen/anmeldung/{links.contingent_token(scene['essen'])}/").status_code == 404


def test_contingent_exceeded_is_refused_with_a_clear_message(scene, client):
    link = f"/veranstaltungen/kontingent/{links.contingent_token(scene['hagen'])}/"
    client.post(link, {"name": "Hugo Hagen", "email": "hugo@hagen.example"})
    page = client.get(link).content.decode()
    assert "Das Kontingent ist ausgeschöpft." in page
    response = client.post(link, {"name": "Zu Viel", "email": "zuviel@hagen.example"})
    assert response.status_code == 400 and "ausgeschöpft" in response.content.decode()
    assert not Registration.objects.filter(email="zuviel@hagen.example").exists()


def test_participant_without_account_sees_only_her_registration(scene, client):
    link = f"/veranstaltungen/anmeldung/{links.registration_token(scene['participant'])}/"
    page = client.get(link).content.decode()
    assert "Paula Teilnehmerin" in page and "Hanna Hagen" not in page
    assert scene["participant"].code in page  # her check-in code, as text and QR code
    other = links.registration_token(scene["hagen_guest"])
    assert other not in page
    for url in (
        f"/veranstaltungen/{scene['event'].slug}/verwaltung/einlass/",
        f"/veranstaltungen/{scene['event'].slug}/verwaltung/namensschilder.pdf",
        f"/veranstaltungen/{scene['event'].slug}/verwaltung/barrierefreiheit/",
    ):
        assert client.get(url).status_code == 302  # anonymous: the login, never the data


def test_organisers_edit_is_versioned(scene, client_for):
    event = scene["event"]
    office = client_for("office")
    url = f"/veranstaltungen/{event.slug}/verwaltung/bearbeiten/"
    form = office.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for key in ("starts_at", "ends_at", "registration_closes_at", "contingent_deadline"):
        data[key] = timezone.localtime(getattr(event, key)).strftime("%Y-%m-%dT%H:%M")
    data = {k: v for k, v in data.items() if v is not False}
    data["title"] = "Forum mit neuem Titel"
    assert office.post(url, data).status_code == 302
    assert Event.objects.get(pk=event.pk).title == "Forum mit neuem Titel"
    data["title"] = "Veraltete Fassung"
    stale = office.post(url, data)
    assert stale.status_code == 409 and "Veraltete Fassung" in stale.content.decode()
    assert Event.objects.get(pk=event.pk).title == "Forum mit neuem Titel"
    assert client_for("member").post(url, data).status_code == 404
