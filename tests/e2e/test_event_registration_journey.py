"""Issue 13 (a) in a real browser: a city coordinator nominates three guests through her personal link, one
guest cancels after the cut-off and the waiting list moves, the office checks people in on a 320-px phone, and
a participant without an account downloads the certificate. Time is frozen with time_machine (ticking), so
the cut-off, the day of the event and the day after come when the journey needs them. Axe on every page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from events import actions, housekeeping, links
from events.models import Registration
from members.models import Municipality
from notifications.models import Outbox
from tests.events.conftest import make_forum
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}


def link_in_mail(address: str, verb: str) -> str:
    text = Outbox.objects.filter(to_email=address, event__verb=verb).latest("pk").text
    return re.search(r"/veranstaltungen/anmeldung/[^\s/]+/", text).group(0)


def check(page: Page, context: str) -> None:
    assert_accessible(page, context=context)
    assert_no_horizontal_scroll(page, context=context)


def test_coordinator_nominates_guest_cancels_waiting_list_moves_check_in_certificate(page, live_server, login_as, personas):
    office = personas["office"]
    start_clock = timezone.now()
    event = make_forum(
        office,
        slug="forum-journey",
        capacity=4,
        days=5,
        min_sessions_for_certificate=0,
        contingent_deadline=start_clock + dt.timedelta(days=2),
    )
    contingent = actions.add_contingent(
        office,
        event,
        municipality=Municipality.objects.get(slug="essen"),
        places=3,
        coordinator_name="Clara Koordination",
        coordinator_email="clara@essen.example",
    )
    actions.register(event, name="Otto Offen", email="otto@example.org")
    wanda = actions.register(event, name="Wanda Warteliste", email="wanda@example.org")
    assert wanda.status == Registration.Status.WAITING
    base = live_server.url

    # The coordinator nominates three guests of her city through her personal link.
    page.set_viewport_size(WIDE)
    page.goto(base + f"/veranstaltungen/kontingent/{links.contingent_token(contingent)}/")
    check(page, "Kontingent")
    for name in ("Gina Gast", "Hugo Gast", "Iris Gast"):
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("E-Mail-Adresse").fill(f"{name.split()[0].lower()}@essen.example")
        page.get_by_role("button", name="Benennen").click()
        expect(page.get_by_text(f"{name} ist angemeldet")).to_be_visible()
    expect(page.get_by_text("3 von 3 Plätzen benannt.")).to_be_visible()
    expect(page.get_by_text("Das Kontingent ist ausgeschöpft.")).to_be_visible()
    check(page, "Kontingent ausgeschöpft")

    with time_machine.travel(start_clock + dt.timedelta(days=2, hours=1), tick=True) as clock:
        housekeeping.run()  # the cut-off has passed: unused places would return (none are unused)
        # Hugo cancels through his own link (no account); the place goes to the waiting list.
        page.goto(base + link_in_mail("hugo@essen.example", "events.confirmed"))
        check(page, "Anmeldung Gast")
        page.get_by_role("button", name="Anmeldung stornieren").click()
        expect(page.get_by_text("Ihre Anmeldung ist storniert.")).to_be_visible()
        check(page, "Anmeldung storniert")

        # Wanda is offered the place by mail and takes it.
        page.goto(base + link_in_mail("wanda@example.org", "events.offered"))
        expect(page.get_by_role("heading", name="Ein Platz ist für Sie frei")).to_be_visible()
        check(page, "Platzangebot")
        page.get_by_role("button", name="Platz annehmen").click()
        expect(page.get_by_text("Sie haben den Platz angenommen.")).to_be_visible()
        check(page, "Platz angenommen")
        wanda.refresh_from_db()
        assert wanda.status == Registration.Status.CONFIRMED

        # The day of the event: the office checks people in on a phone.
        clock.move_to(event.starts_at + dt.timedelta(minutes=20))
        login_as(office)
        page.set_viewport_size(PHONE)
        page.goto(base + f"/veranstaltungen/{event.slug}/verwaltung/einlass/")
        check(page, "Einlass 320 px")
        page.get_by_label("Code vom Namensschild").fill(wanda.code)
        page.get_by_role("button", name="Einchecken", exact=True).click()
        expect(page.get_by_text("Wanda Warteliste ist eingecheckt.")).to_be_visible()
        page.get_by_role("button", name="Gina Gast einchecken").click()
        expect(page.get_by_text("Gina Gast ist eingecheckt.")).to_be_visible()
        page.get_by_label("Code vom Namensschild").fill(wanda.code)
        page.get_by_role("button", name="Einchecken", exact=True).click()
        expect(page.get_by_text("Code bereits verwendet")).to_be_visible()
        check(page, "Einlass nach dem Einchecken 320 px")
        page.set_viewport_size(WIDE)

        # The day after: Wanda downloads her certificate of attendance through her link.
        clock.move_to(event.ends_at + dt.timedelta(hours=16))
        page.goto(base + link_in_mail("wanda@example.org", "events.confirmed"))
        check(page, "Anmeldung nach der Veranstaltung")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Teilnahmebescheinigung herunterladen (PDF)").click()
        pdf = Path(download_info.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF")
        # Hugo cancelled and Iris never came: no certificate for them.
        page.goto(base + link_in_mail("iris@essen.example", "events.confirmed"))
        expect(page.get_by_role("link", name="Teilnahmebescheinigung herunterladen (PDF)")).to_have_count(0)
        check(page, "Anmeldung ohne Teilnahme")

    # The public programme page, as everybody sees it.
    page.goto(base + event.get_absolute_url())
    check(page, "Programm")
