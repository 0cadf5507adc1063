"""The managing office's whole year in Chromium (issue 10): one Regiegruppe cycle and one Projektteam cycle,
each step done in the browser by the person who does it in real life.

date poll for the whole body (personal links for members without an account) → answers → confirmed →
agenda by the speaker and the office (proposal, direct item, edit of an accepted item, reorder) → invitation
with a preview and the office's covering text, a guest added → replies with and without an account (deputy,
decline with a note) → meeting marked held (a reorder in a stale tab is refused) → minutes, attendance
prefilled → circulation → an objection → resolved → approval after the deadline → a correction →
publication (the public page and PDF leave out the non-public item) → tasks per city from the minutes'
action (two cities report their own part, the office sees "x von y Städten erledigt") → next agenda.

Every page visited is scanned with axe and checked at 1280 and 320 px (no sideways scrolling; at 320 px the menu
folds and opens); a page left unchecked fails the test. Mails go over a real SMTP server on localhost:
meeting mails straight from the task, poll mails through the notifications worker (``run_once``).
Time: the meeting is moved into the past and the objection deadline set to yesterday by a database update,
as the other browser journeys do (the browser and PostgreSQL keep real time, so nothing is frozen).
Screenshots (German, 320 and 1280 px) of the key screens go to ``YEAR_SHOTS`` when it names a folder.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from meetings.agenda import actions as agenda
from meetings.core import actions as core
from meetings.invitations import actions as invitations
from meetings.invitations.recipients import recipients
from meetings.minutes import actions as minutes
from meetings.models import Meeting, Minutes, Reply
from members.models import Body, Membership, Municipality, Person
from monitoring.actions import grant_access
from notifications.dispatch import run_once
from tests.calendar_events.conftest import soon
from tests.conftest import make_user, seat
from tests.notifications.helpers import use_smtp
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from tests.support.smtp import LocalSMTPServer
from workspaces.actions import ensure_body_workspaces

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}
SHOTS = Path(os.environ["YEAR_SHOTS"]) if os.environ.get("YEAR_SHOTS") else None
POLL_LINK = re.compile(r"https?://[^\s\"<>]*(/terminabstimmung/[A-Za-z0-9_\-]+/)")
REPLY_LINK = re.compile(r"https?://[^\s\"<>]*(/sitzungen/antwort/[A-Za-z0-9_\-]+/)")


@pytest.fixture
def smtp(settings, live_server, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with LocalSMTPServer() as server:
        use_smtp(settings, server)
        settings.SITE_URL = live_server.url
        yield server


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF"), data[:40]
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


@dataclass
class Journey:
    """The browser, who is logged in, and which pages have been checked (every one visited must be)."""

    page: Page
    login_as: object
    body: str
    visited: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.page.on("framenavigated", self._seen)

    def _seen(self, frame) -> None:
        if frame == self.page.main_frame and frame.url.startswith("http"):
            self.visited.append(frame.url.split("#")[0])

    def as_(self, user) -> None:
        self.page.context.clear_cookies()
        if user is not None:
            self.login_as(user)

    def check(self, name: str, *, shot: bool = False) -> None:
        """axe (at 1280 px); no sideways scrolling at 1280 and 320 px, where the menu folds and opens; screenshots."""
        page = self.page
        page.wait_for_load_state()
        context = f"{self.body}: {name}"
        assert_accessible(page, context=f"{context} 1280px")
        for viewport in (WIDE, NARROW):
            page.set_viewport_size(viewport)
            assert_no_horizontal_scroll(page, context=f"{context} {viewport['width']}px")
            if viewport is NARROW:
                toggle = page.locator("[data-menu-toggle]")
                expect(toggle).to_be_visible()
                expect(toggle).to_have_attribute("aria-expanded", "false")
                expect(page.locator("#site-menu-tools")).to_be_hidden()
            if SHOTS is not None and shot:
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"{self.body}-{name}-{viewport['width']}.png"), full_page=True)
        toggle = page.locator("[data-menu-toggle]")
        page.set_viewport_size(NARROW)
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(page.locator("#site-menu-tools")).to_be_visible()
        assert_no_horizontal_scroll(page, context=f"{context} 320px, menu open")
        toggle.click()
        page.set_viewport_size(WIDE)
        self.checked.add(page.url.split("#")[0])

    def assert_every_page_checked(self) -> None:
        unchecked = sorted({url for url in self.visited if url not in self.checked})
        assert not unchecked, f"pages visited without axe and 320-px check: {unchecked}"


@dataclass
class Cast:
    """The people of one body's year."""

    body: Body
    office: object
    speaker: object  # the body's speaker, with an account
    member: object  # a member with an account, who attends, objects and reports for their city
    member_city: Municipality
    speaker_city: Municipality
    third_city: Municipality  # assigned too, does not report in the journey
    topic: str  # the proposal's title
    direct: str  # the speaker's own item
    secret: str  # the office's non-public item


def cast_for(slug: str, personas) -> Cast:
    body = Body.objects.get(slug=slug)
    office = personas["office"]
    if slug == "regiegruppe":
        speaker_seat = Membership.objects.get(body=body, role=Membership.Role.SPEAKER)
        member, member_city = personas["member"], Municipality.objects.get(slug="bochum")  # Mara Member
        topic, direct, secret = "Ausbildungsmessen 2027", "Bericht aus Herne", "Vertrauliche Personalfrage"
    else:
        speaker_seat = (
            Membership.objects.filter(body=body, role=Membership.Role.MEMBER, municipality__isnull=False)
            .exclude(municipality__slug__in=["essen", "bochum", "herne"])
            .select_related("person")
            .first()
        )
        Membership.objects.filter(pk=speaker_seat.pk).update(role=Membership.Role.SPEAKER)
        member = make_user("personal.herne@test.example")  # Herne's HR person, who also reads the survey results
        member_city = Municipality.objects.get(slug="herne")
        seat(member, "projektteam", Membership.Role.MEMBER, "herne", given_name="Petra", family_name="Personal")
        grant_access(None, member, member_city, "hr")
        topic, direct, secret = "Interkulturelle Kompetenz in Stellenanzeigen", "Austausch Praktika", "Personalfall Einstellung"
    speaker = make_user(f"sprecherin.{slug}@test.example")
    Person.objects.filter(pk=speaker_seat.person_id).update(user=speaker, email=speaker.email)
    third = Municipality.objects.active().exclude(pk__in=[member_city.pk, speaker_seat.municipality_id]).first()
    return Cast(body, office, speaker, member, member_city, speaker_seat.municipality, third, topic, direct, secret)


def run_year(j: Journey, cast: Cast, smtp, browser_context) -> None:
    page, body = j.page, cast.body
    member_name = Person.objects.get(user=cast.member).full_name
    day = soon(30 + 7 * (body.slug == "projektteam"))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)

    # 1. The office asks the whole body for a date; most members have no account.
    j.as_(cast.office)
    page.goto(f"/arbeitsbereiche/{body.slug}/terminabstimmungen/neu/")
    j.check("umfrage-neu")
    page.get_by_label("Titel", exact=True).fill("Jahrestreffen")
    page.get_by_label(re.compile("^Sitzung des Gremiums")).check()
    page.get_by_role("textbox", name=re.compile("^Ort")).fill("Rathaus Bottrop, Ratssaal")
    page.get_by_label("Antworten bis").fill(soon(10, 18).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Vorschlag 1: Beginn").fill(day.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Vorschlag 1: Ende").fill(day.strftime("%Y-%m-%dT13:00"))
    later = day + dt.timedelta(days=1 if day.weekday() < 4 else 3)
    page.get_by_label("Vorschlag 2: Beginn").fill(later.strftime("%Y-%m-%dT14:00"))
    page.get_by_label("Vorschlag 2: Ende").fill(later.strftime("%Y-%m-%dT16:00"))
    expect(page.get_by_label(re.compile(f"Alle Mitglieder des Gremiums „{body.name}“ einladen"))).to_be_checked()
    page.get_by_role("button", name="Abstimmung starten").click()
    expect(page.get_by_text(re.compile("Die Terminabstimmung .* läuft"))).to_be_visible()
    j.check("umfrage", shot=True)
    poll_url = page.url

    # 2. Answers: a member without an account through the link in the real mail, a member with one in the platform.
    run_once()
    invited = smtp.wait_for(3, timeout=30)
    external = next(m for m in invited if POLL_LINK.search(text_of(m)))
    smtp.clear()
    j.as_(None)
    page.goto(POLL_LINK.search(text_of(external)).group(1))
    page.locator("input[type=radio][value=no]").first.check()
    page.locator("input[type=radio][value=yes]").last.check()
    page.get_by_label("Kommentar").fill("Am ersten Tag bin ich im Rat.")
    page.get_by_role("button", name="Antwort speichern").click()
    expect(page.get_by_text("Vielen Dank, Ihre Antwort wurde gespeichert.")).to_be_visible()
    j.check("umfrage-link-gespeichert", shot=True)
    j.as_(cast.member)
    page.goto(poll_url)
    page.locator("input[type=radio][value=yes]").first.check()
    page.locator("input[type=radio][value=yes]").last.check()
    page.get_by_role("button", name="Antwort speichern").click()
    expect(page.get_by_text(re.compile("Antwort.*gespeichert"))).to_be_visible()
    j.check("umfrage-mitglied")

    # 3. The office confirms the date everybody can make: a draft meeting with the poll's place.
    j.as_(cast.office)
    page.goto(poll_url)
    page.get_by_label(re.compile(r"14:00–16:00 Uhr")).check()
    page.get_by_role("button", name="Termin bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{body.name}: Jahrestreffen")
    expect(page.get_by_text("Rathaus Bottrop, Ratssaal")).to_be_visible()
    meeting = Meeting.objects.get(body=body, title="Jahrestreffen")
    j.check("sitzung-entwurf")

    # 4. A member proposes a topic from the body's page.
    j.as_(cast.member)
    page.goto(f"/sitzungen/gremium/{body.slug}/")
    j.check("gremium")
    page.get_by_role("link", name="Thema vorschlagen").click()
    j.check("vorschlag")
    page.get_by_label("Titel").fill(cast.topic)
    page.get_by_label("Dauer (Minuten)").fill("20")
    page.get_by_role("button", name="Vorschlagen").click()
    expect(page.locator(".messages")).to_contain_text("Ihr Vorschlag steht jetzt in der Themenliste")
    j.check("vorschlag-gesendet")

    # 5. The speaker takes the proposal onto the agenda and adds an item directly.
    j.as_(cast.speaker)
    page.goto(meeting.get_absolute_url())
    j.check("sitzung-sprecherin")
    page.get_by_role("link", name="Tagesordnung bearbeiten").click()
    j.check("tagesordnung-sprecherin")
    page.get_by_role("button", name=re.compile(f"aufnehmen.*{cast.topic}")).click()
    expect(page.get_by_text(re.compile(f"TOP 1: {cast.topic}"))).to_be_visible()
    page.get_by_role("link", name="Punkt hinzufügen").click()
    j.check("punkt-neu")
    page.get_by_label("Titel").fill(cast.direct)
    page.get_by_label("Dauer (Minuten)").fill("25")
    page.get_by_role("button", name="Auf die Tagesordnung setzen").click()
    expect(page.locator(".messages")).to_contain_text(f"„{cast.direct}“ steht jetzt auf der Tagesordnung")
    j.check("tagesordnung-sprecherin-2")

    # 6. The office edits the accepted proposal, adds a non-public item and reorders.
    j.as_(cast.office)
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Tagesordnung bearbeiten").click()
    j.check("tagesordnung-gf")
    page.get_by_role("link", name=re.compile(f"bearbeiten.*{cast.topic}")).click()
    j.check("punkt-bearbeiten")
    page.get_by_label("Titel").fill(f"{cast.topic}: Termine")
    page.get_by_label("Dauer (Minuten)").fill("30")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text(f"TOP 1: {cast.topic}: Termine")).to_be_visible()
    page.get_by_role("link", name="Punkt hinzufügen").click()
    page.get_by_label("Titel").fill(cast.secret)
    page.get_by_label(re.compile("^öffentlich")).uncheck()
    page.get_by_role("button", name="Auf die Tagesordnung setzen").click()
    expect(page.get_by_text(f"TOP N1: {cast.secret}")).to_be_visible()
    page.get_by_role("button", name=re.compile(f"nach oben.*{cast.direct}")).click()
    expect(page.get_by_text(f"TOP 1: {cast.direct}")).to_be_visible()
    expect(page.get_by_text(f"TOP 2: {cast.topic}: Termine")).to_be_visible()
    j.check("tagesordnung-geordnet", shot=True)

    # 7. The invitation: covering text, previews of mail and PDF, a guest, then sent.
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Einladung versenden").click()
    covering = "Liebe Mitglieder, bitte bringen Sie die Zahlen Ihrer Stadt mit."
    page.get_by_label("Anschreiben der Geschäftsführung").fill(covering)
    page.get_by_role("button", name="Vorschau der E-Mail").click()
    preview = page.locator(".mail-preview")
    expect(preview).to_contain_text(covering)
    expect(preview).not_to_contain_text("hat sich geändert")
    j.check("einladung-vorschau", shot=True)
    with browser_context.expect_event("response", predicate=lambda r: r.url.endswith("/einladung/vorschau.pdf")) as sent:
        page.get_by_role("button", name=re.compile("Vorschau des PDF")).click()
    assert sent.value.ok and sent.value.header_value("content-type").startswith("application/pdf")
    for other in browser_context.pages[1:]:
        other.close()
    form = page.locator("#invitation-form")  # the same form post, read as bytes (a PDF window is not a page)
    preview_pdf = page.request.post(
        f"/sitzungen/{meeting.pk}/einladung/vorschau.pdf",
        form={
            "csrfmiddlewaretoken": form.locator("input[name=csrfmiddlewaretoken]").input_value(),
            "covering_text": covering,
        },
    )
    assert covering in pdf_text(preview_pdf.body())
    page.get_by_label("Name", exact=True).fill("Dr. Gerda Gast")
    page.get_by_label("E-Mail-Adresse", exact=True).fill(f"gerda.{body.slug}@partner.example")
    page.get_by_label(re.compile("^Organisation")).fill("Landesinitiative")
    page.get_by_role("button", name="Gast hinzufügen").click()
    expect(page.get_by_text(re.compile("Dr. Gerda Gast erhält die Einladung"))).to_be_visible()
    page.get_by_label("Anschreiben der Geschäftsführung").fill(covering)
    page.get_by_role("button", name="Einladung senden").click()
    expect(page.get_by_text(re.compile("Die Einladung geht an \\d+ Personen"))).to_be_visible()
    j.check("einladung-gesendet")
    people = recipients(meeting)
    received = smtp.wait_for(len(people) + 1, timeout=60)
    without_account = [p for p in people if p.user_id is None]
    mail_to = {m.envelope_to[0]: m for m in received}
    deputy_person, declining_person = without_account[0], without_account[1]
    first = mail_to[deputy_person.email]
    assert "] Einladung: " in first["Subject"] and "Aktualisiert" not in first["Subject"]
    assert covering in text_of(first)
    guest_mail = mail_to[f"gerda.{body.slug}@partner.example"]
    assert cast.secret not in text_of(guest_mail)

    # 8. Replies: without an account through the personal link (a deputy; a decline with a note), the guest, a member.
    j.as_(None)
    page.goto(REPLY_LINK.search(text_of(first)).group(1))
    j.check("rueckmeldung-link")
    page.get_by_label("Meine Vertretung nimmt teil").check()
    page.get_by_label("Wer vertritt Sie?").fill("Paula Vertretung")
    page.get_by_label("Bemerkung").fill("Ich bin im Urlaub.")
    page.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_text("Danke, Ihre Rückmeldung ist gespeichert.")).to_be_visible()
    j.check("rueckmeldung-vertretung", shot=True)
    page.goto(REPLY_LINK.search(text_of(mail_to[declining_person.email])).group(1))
    page.get_by_label("Ich nehme nicht teil").check()
    page.get_by_label("Bemerkung").fill("Haushaltsberatungen im Rat.")
    page.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_text("Danke, Ihre Rückmeldung ist gespeichert.")).to_be_visible()
    j.check("rueckmeldung-absage")
    page.goto(REPLY_LINK.search(text_of(guest_mail)).group(1))
    assert page.get_by_text(cast.secret).count() == 0
    page.get_by_label("Ich nehme teil").check()
    page.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_text("Danke, Ihre Rückmeldung ist gespeichert.")).to_be_visible()
    j.check("rueckmeldung-gast")
    for user in (cast.member, cast.speaker):
        j.as_(user)
        page.goto(meeting.get_absolute_url())
        page.get_by_label("Ich nehme teil").check()
        page.get_by_role("button", name="Rückmeldung speichern").click()
        expect(page.get_by_text("Danke, Ihre Rückmeldung ist gespeichert.")).to_be_visible()
        if user is cast.member:
            j.check("sitzung-rueckmeldung")
    assert Reply.objects.filter(meeting=meeting).count() == 5

    # 9. The office sees the replies; an agenda tab stays open while the meeting takes place.
    j.as_(cast.office)
    page.goto(meeting.get_absolute_url())
    overview = page.locator("section", has=page.get_by_role("heading", name="Rückmeldungen zur Einladung"))
    expect(overview).to_contain_text(f"{deputy_person.full_name} → Paula Vertretung")
    expect(overview).to_contain_text("Haushaltsberatungen im Rat.")
    j.check("sitzung-rueckmeldungen", shot=True)
    stale = browser_context.new_page()
    stale.goto(f"/sitzungen/{meeting.pk}/tagesordnung/")
    past = timezone.now() - dt.timedelta(hours=3)  # the meeting took place (see the module's docstring)
    Meeting.objects.filter(pk=meeting.pk).update(start=past, end=past + dt.timedelta(hours=2))
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Als durchgeführt vermerken …").click()
    expect(page.get_by_text("Die Tagesordnung wird abgeschlossen")).to_be_visible()
    j.check("durchgefuehrt-frage")
    page.get_by_role("button", name="Ja, die Sitzung hat stattgefunden").click()
    expect(page.locator(".messages")).to_contain_text("als durchgeführt vermerkt")
    j.check("durchgefuehrt")
    stale.get_by_role("button", name=re.compile(f"nach unten.*{cast.direct}")).click()  # the agenda is frozen now
    expect(stale.locator(".messages")).to_contain_text("abgeschlossen")
    expect(stale.get_by_text(f"TOP 1: {cast.direct}")).to_be_visible()
    stale.close()
    page.goto(f"/sitzungen/{meeting.pk}/tagesordnung/")
    expect(page.get_by_role("heading", name="Die Tagesordnung ist abgeschlossen")).to_be_visible()
    j.check("tagesordnung-abgeschlossen")

    # 10. Minutes: attendance from the replies, a summary and an action for the member's city.
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/")
    expect(page.get_by_label(member_name, exact=False)).to_be_checked()
    j.check("protokoll", shot=True)
    page.get_by_role("button", name="Anwesenheit speichern").click()
    expect(page.locator(".messages")).to_be_visible()
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile(f"{cast.topic}: Termine")))
    section.locator("summary").click()
    section.get_by_label("Zusammenfassung").fill("Die Städte stimmen ihre Termine ab; Herne lädt zur ersten Messe ein.")
    section.get_by_label("Neue Aufgabe").fill("Termine der eigenen Messen melden")
    section.get_by_label("verantwortliche Stadt").select_option(label=cast.member_city.short_name)
    section.get_by_label("fällig am").fill((timezone.localdate() + dt.timedelta(days=21)).isoformat())
    section.get_by_role("button", name=re.compile("^Speichern")).click()
    expect(page.locator(".messages")).to_contain_text("ist gespeichert")

    # 11. Circulation; the member objects; the office resolves the objection.
    smtp.clear()
    page.get_by_role("link", name="An die Anwesenden zur Abstimmung senden …").click()
    j.check("umlauf-frage")
    page.get_by_role("button", name="Protokoll in Umlauf geben").click()
    expect(page.locator(".messages")).to_contain_text("Das Protokoll ist in Umlauf")
    circulated = smtp.wait_for(1, timeout=30)
    assert cast.member.email in {m.envelope_to[0] for m in circulated}
    j.as_(cast.member)
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/")
    page.get_by_label("Ihr Einwand").fill(f"Nicht {cast.speaker_city.short_name}, sondern Herne lädt zur ersten Messe ein.")
    page.get_by_role("button", name="Einwand senden").click()
    expect(page.locator("#obj-title")).to_be_visible()
    j.check("einwand", shot=True)
    j.as_(cast.office)
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/")
    page.get_by_role("button", name="als erledigt markieren").click()
    expect(page.locator("section", has=page.locator("#obj-title"))).to_contain_text("(erledigt)")
    j.check("einwand-erledigt")

    # 12. Approval after the deadline (set to yesterday, see the docstring); it asks first.
    Minutes.objects.filter(meeting=meeting).update(objection_deadline=timezone.localdate() - dt.timedelta(days=1))
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/")
    page.get_by_role("link", name="Protokoll genehmigen …").click()
    j.check("genehmigen-frage")
    page.get_by_role("button", name="Protokoll genehmigen").click()
    expect(page.locator(".messages")).to_contain_text("genehmigt und gesperrt")

    # 13. A correction (Berichtigung), checked before it is recorded.
    page.get_by_role("link", name=re.compile("^Berichtigen")).nth(1).click()
    j.check("berichtigung")
    page.get_by_label("Zusammenfassung (berichtigte Fassung)").fill("Die Städte stimmen ihre Termine ab; Herne lädt ein.")
    page.get_by_label("Grund der Berichtigung").fill("Einwand aus der Sitzung nachgetragen")
    page.get_by_role("button", name="Weiter zur Prüfung").click()
    expect(page.get_by_role("heading", name="Berichtigung prüfen")).to_be_visible()
    j.check("berichtigung-pruefen", shot=True)
    page.get_by_role("button", name="Berichtigung eintragen").click()
    expect(page.locator(".messages")).to_contain_text("Die Berichtigung Nr. 1 ist eingetragen")
    j.check("berichtigt")

    # 14. Publication: the public reads the public items only, on the page and in the PDF.
    page.get_by_role("link", name="Veröffentlichen …").click()
    expect(page.get_by_text(re.compile("2 öffentliche TOPs"))).to_be_visible()
    j.check("veroeffentlichen-frage")
    page.get_by_role("button", name="Protokoll veröffentlichen").click()
    expect(page.locator(".messages")).to_contain_text("Das Protokoll ist veröffentlicht")
    j.check("veroeffentlicht")
    j.as_(None)
    page.goto(meeting.get_absolute_url())
    expect(page.get_by_text("Die Städte stimmen ihre Termine ab; Herne lädt ein.")).to_be_visible()
    expect(page.get_by_text(re.compile("Berichtigt am .* \\(Berichtigung Nr. 1\\)"))).to_be_visible()
    assert cast.secret not in page.content()
    j.check("oeffentlich", shot=True)
    public_pdf = page.request.get(f"/sitzungen/{meeting.pk}/protokoll.pdf")
    assert public_pdf.ok
    text = pdf_text(public_pdf.body())
    assert "Herne lädt ein" in text and cast.direct in text
    assert cast.secret not in text

    # 15. Tasks per city: the office adds the other cities; two cities report their own part.
    j.as_(cast.office)
    page.goto(f"/sitzungen/gremium/{body.slug}/")
    page.get_by_role("link", name=re.compile("^Aufgabe ansehen")).first.click()
    j.check("aufgabe")
    page.get_by_role("link", name="Bearbeiten").click()
    j.check("aufgabe-bearbeiten")
    for city in (cast.speaker_city, cast.third_city):
        page.get_by_label(city.short_name, exact=True).check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("0 von 3 Städten erledigt.")).to_be_visible()
    task_url = page.url
    j.check("aufgabe-staedte")
    for user, city in ((cast.member, cast.member_city), (cast.speaker, cast.speaker_city)):
        j.as_(user)
        page.goto(task_url)
        form = page.locator(f"#stadt-{city.slug} form")
        form.get_by_label("Stand der Stadt").select_option("done")
        form.get_by_label("Notiz (optional)").fill(f"{city.short_name} hat die Termine gemeldet.")
        form.get_by_role("button", name=f"Stand für {city.short_name} melden").click()
        expect(page.get_by_text(f"Der Stand für {city.short_name} ist jetzt „erledigt“.")).to_be_visible()
        if user is cast.member:
            j.check(f"aufgabe-{city.slug}")
    j.as_(cast.office)
    page.goto(f"/arbeitsbereiche/{body.slug}/aufgaben/")
    expect(page.get_by_text("2 von 3 Städten erledigt")).to_be_visible()
    j.check("aufgaben-fortschritt", shot=True)

    # 16. The next meeting's agenda, with the approval of these minutes among the standing items.
    page.goto(f"/sitzungen/gremium/{body.slug}/")
    page.get_by_role("link", name="Sitzung anlegen").click()
    j.check("naechste-sitzung")
    nxt = day + dt.timedelta(days=91)
    while nxt.weekday() >= 5:
        nxt += dt.timedelta(days=1)
    page.get_by_label("Titel").fill("Frühjahrstreffen")
    page.get_by_label("Beginn").fill(nxt.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Ende").fill(nxt.strftime("%Y-%m-%dT13:00"))
    page.get_by_role("button", name=re.compile("Anlegen|Speichern")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Frühjahrstreffen")
    j.check("naechste-sitzung-angelegt")
    page.get_by_role("link", name="Tagesordnung bearbeiten").click()
    page.get_by_role("button", name="Ständige Punkte ergänzen").click()
    expect(page.locator(".agenda")).to_contain_text("TOP 1")
    j.check("naechste-tagesordnung", shot=True)
    j.assert_every_page_checked()


@pytest.mark.parametrize("slug", ["regiegruppe", "projektteam"])
def test_the_year_of_a_body_in_the_browser(slug, page, browser_context, login_as, personas, smtp):
    cast = cast_for(slug, personas)
    ensure_body_workspaces()
    run_year(Journey(page, login_as, slug), cast, smtp, browser_context)


def test_circulating_without_saved_attendance_reaches_the_members_who_replied(page, login_as, personas):
    office, member = personas["office"], personas["member"]
    body = Body.objects.get(slug="regiegruppe")
    past = timezone.now() - dt.timedelta(days=2)
    meeting, _warnings = core.create_meeting(
        office, body, start=past, end=past + dt.timedelta(hours=2), title="Sommertreffen", status="scheduled"
    )
    agenda.add_item(office, meeting, None, title="Bericht der Städte")
    invitations.reply(Person.objects.get(user=member), meeting, Reply.Answer.ATTENDING)
    minutes.mark_held(office, meeting)
    login_as(office)
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/")
    expect(page.get_by_label("Mara Member", exact=False)).to_be_checked()  # what the office sees ticked
    page.get_by_role("link", name="An die Anwesenden zur Abstimmung senden …").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, context="circulation step without saved attendance")
    # Either the step refuses until the attendance is saved, or it goes to the people who replied; never to nobody.
    expect(page.get_by_text(re.compile("an 0 Anwesende"))).to_have_count(0)
    expect(page.get_by_text(re.compile("an 1 Anwesende: Mara Member"))).to_be_visible()
    expect(page.get_by_text(re.compile("Anwesenheit aus den Rückmeldungen"))).to_be_visible()
    page.get_by_role("button", name="Protokoll in Umlauf geben").click()
    expect(page.get_by_text(re.compile("1 Anwesende erhalten es per E-Mail"))).to_be_visible()
    assert list(meeting.minutes.attendees.values_list("user", flat=True)) == [member.pk]
