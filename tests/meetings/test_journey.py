"""The meeting cycle in Chromium, mail over real SMTP: propose → order → invite (.ics) → reply → minutes →
circulation → approval at the next meeting → the action on the next agenda → the public view."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from meetings.core import actions as meeting_actions
from meetings.invitations.recipients import recipients
from meetings.models import Meeting, Minutes
from members.models import Membership, Person
from tests.conftest import make_user
from tests.support.browser import assert_accessible
from tests.support.smtp import LocalSMTPServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings, live_server, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with LocalSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.SITE_URL = live_server.url
        yield server


def switch(page, browser_context, login_as, user):
    browser_context.clear_cookies()
    if user is not None:
        login_as(user)


def test_meeting_cycle(page, browser_context, login_as, personas, smtp):
    office, member = personas["office"], personas["member"]
    speaker_user = make_user("sprecherin@test.example")
    speaker = Membership.objects.get(body__slug="regiegruppe", role=Membership.Role.SPEAKER).person
    Person.objects.filter(pk=speaker.pk).update(user=speaker_user)
    start = (dt.date.today() + dt.timedelta(days=40)).isoformat()

    # The office creates the meeting; the rotation proposes the host.
    switch(page, browser_context, login_as, office)
    page.goto("/sitzungen/gremium/regiegruppe/neu/")
    page.get_by_label("Titel").fill("Regietreffen Frühjahr")
    page.get_by_label("Beginn").fill(f"{start}T10:00")
    page.get_by_label("Ende").fill(f"{start}T13:00")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Regietreffen Frühjahr")
    meeting = Meeting.objects.get(title="Regietreffen Frühjahr")
    assert meeting.host_municipality is not None

    # A member proposes a public and a non-public item.
    switch(page, browser_context, login_as, member)
    for title, public in (("Fachkräfte mit Einwanderungsgeschichte gewinnen", True), ("Vertrauliche Personalfrage", False)):
        page.goto("/sitzungen/gremium/regiegruppe/vorschlagen/")
        page.get_by_label("Titel").fill(title)
        page.get_by_label("Dauer (Minuten)").fill("20")
        if not public:
            page.get_by_label(re.compile("^öffentlich")).uncheck()
        page.get_by_role("button", name="Vorschlagen").click()
        expect(page.get_by_text("Ihr Vorschlag steht jetzt in der Themenliste")).to_be_visible()
    assert_accessible(page, context="body meetings page (member)")

    # The speaker accepts both, adds the standing items and orders.
    switch(page, browser_context, login_as, speaker_user)
    page.goto(f"/sitzungen/{meeting.pk}/tagesordnung/")
    page.get_by_role("button", name=re.compile("aufnehmen.*Fachkräfte mit Einwanderungsgeschichte")).click()
    page.get_by_role("button", name=re.compile("aufnehmen.*Vertrauliche Personalfrage")).click()
    page.get_by_role("button", name="Ständige Punkte ergänzen").click()
    page.get_by_role("button", name=re.compile("nach oben.*Vertrauliche Personalfrage")).click()
    expect(page.get_by_text("TOP N1: Vertrauliche Personalfrage")).to_be_visible()  # non-public part: N1, N2 …
    assert_accessible(page, context="agenda page (speaker)")

    # The office sends the invitation: every member and deputy gets PDF and iCalendar REQUEST.
    switch(page, browser_context, login_as, office)
    page.goto(f"/sitzungen/{meeting.pk}/einladung/")
    assert_accessible(page, context="invitation page")
    page.get_by_role("button", name="Einladung senden").click()
    expect(page.get_by_text(re.compile("Die Einladung geht an"))).to_be_visible()
    invited = recipients(meeting)
    messages = smtp.wait_for(len(invited), timeout=60)
    member_mail = next(m for m in messages if m.envelope_to == [member.email])
    calendar = next(p for p in member_mail.walk() if p.get_content_type() == "text/calendar")
    ical = Calendar.from_ical(calendar.get_payload(decode=True))
    event = ical.walk("VEVENT")[0]
    assert str(ical["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 0
    assert str(event["UID"]) == f"{meeting.ical_uid}@interkommunal"

    # The member replies.
    switch(page, browser_context, login_as, member)
    page.goto(f"/sitzungen/{meeting.pk}/")
    page.get_by_label("Ich nehme teil").check()
    page.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_text("Danke, Ihre Rückmeldung ist gespeichert.")).to_be_visible()
    assert_accessible(page, context="meeting page (member)")

    # The day came and went (moved back in the database); the office marks the meeting held, which freezes its agenda.
    days_back = dt.timedelta(days=54)
    Meeting.objects.filter(pk=meeting.pk).update(start=meeting.start - days_back, end=meeting.end - days_back)
    meeting.refresh_from_db()
    switch(page, browser_context, login_as, office)
    page.goto(f"/sitzungen/{meeting.pk}/")
    page.get_by_role("link", name="Als durchgeführt vermerken …").click()
    page.get_by_role("button", name="Ja, die Sitzung hat stattgefunden").click()

    # Minutes: attendance, a decision and an action, then circulation (asked first).
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/")
    page.get_by_label("Mara Member", exact=False).check()
    page.get_by_role("button", name="Anwesenheit speichern").click()
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile("Fachkräfte mit Einwanderungsgeschichte")))
    section.locator("summary").click()
    section.get_by_label("Beschluss oder Verabredung im Wortlaut").fill("Die Regiegruppe startet ein gemeinsames Talentprogramm.")
    section.get_by_label("Neue Aufgabe").fill("Konzept für das Talentprogramm vorlegen")
    section.get_by_label("verantwortliche Stadt").select_option(label="Bochum")
    section.get_by_role("button", name=re.compile("^Speichern")).click()
    expect(page.get_by_text("Die Regiegruppe startet ein gemeinsames Talentprogramm.")).to_be_visible()
    assert_accessible(page, context="minutes page (office)")
    page.get_by_role("link", name="An die Anwesenden zur Abstimmung senden …").click()
    page.get_by_role("button", name="Protokoll in Umlauf geben").click()
    expect(page.get_by_text("in Abstimmung")).to_be_visible()

    # The next meeting: standing items; the open action appears; the minutes are approved there and published.
    following, _ = meeting_actions.create_meeting(  # a week ago: the minutes are approved there
        office,
        meeting.body,
        start=meeting.start + dt.timedelta(days=7),
        end=meeting.end + dt.timedelta(days=7),
        status="scheduled",
    )
    page.goto(f"/sitzungen/{following.pk}/tagesordnung/")
    page.get_by_role("button", name="Ständige Punkte ergänzen").click()
    page.goto(f"/sitzungen/{following.pk}/")
    expect(page.get_by_text("Konzept für das Talentprogramm vorlegen")).to_be_visible()
    Minutes.objects.filter(meeting=meeting).update(objection_deadline=dt.date.today() - dt.timedelta(days=1))  # over
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/")
    page.get_by_role("link", name="Protokoll genehmigen …").click()
    page.get_by_label("Genehmigt in der Sitzung").select_option(str(following.pk))
    page.get_by_role("button", name="Protokoll genehmigen").click()
    page.get_by_role("link", name="Veröffentlichen …").click()
    page.get_by_role("button", name="Protokoll veröffentlichen").click()
    expect(page.locator(".messages")).to_contain_text("veröffentlicht")

    # The public sees the published minutes, not the non-public item.
    switch(page, browser_context, login_as, None)
    page.goto(f"/sitzungen/{meeting.pk}/")
    expect(page.get_by_text("Die Regiegruppe startet ein gemeinsames Talentprogramm.")).to_be_visible()
    assert page.get_by_text("Vertrauliche Personalfrage").count() == 0
    assert_accessible(page, context="meeting page (public)")
    pdf = page.request.get(f"/sitzungen/{meeting.pk}/protokoll.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
