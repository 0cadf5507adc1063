"""notify(): who hears about what, in the platform and by mail; the outbox on a real SMTP server."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from notifications import actions
from notifications.actions import notify
from notifications.audience import Audience
from notifications.delivery import deliver
from notifications.dispatch import run_once
from notifications.models import EmailMode, Event, Level, Notification, Outbox
from tests.support.smtp import LocalSMTPServer
from workspaces.actions import create_workspace
from workspaces.models import WorkspaceMember

from .helpers import many_users, use_smtp

pytestmark = pytest.mark.django_db


def _event(recipients, **kw):
    kw.setdefault("verb", "test.event")
    kw.setdefault("subject", "Neuer Beitrag: Sommerfest")
    kw.setdefault("text", "Das Sommerfest findet statt.")
    kw.setdefault("url", "/arbeitsbereiche/")
    return notify(recipients=recipients, **kw)


def test_a_short_list_is_notified_in_the_same_transaction(personas):
    member, office = personas["member"], personas["office"]
    event = _event([member, office], actor=office)
    assert event.state == Event.State.DONE
    assert list(Notification.objects.values_list("recipient__email", flat=True)) == [member.email]  # never the actor
    assert Outbox.objects.get().to_email == member.email


def test_a_rolled_back_change_notifies_nobody(personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        _event([personas["member"]])
        raise RuntimeError
    assert not Event.objects.exists() and not Notification.objects.exists() and not Outbox.objects.exists()


def test_a_workspace_audience_is_one_row_in_the_request_and_fanned_out_by_the_worker(personas):
    workspace = create_workspace(personas["member"], name="Großer Arbeitsbereich", visibility="platform")
    users = many_users(120)
    WorkspaceMember.objects.bulk_create([WorkspaceMember(workspace=workspace, user=u, role="reader") for u in users])
    event = _event(Audience.workspace(workspace), actor=personas["member"], workspace=workspace)
    assert event.state == Event.State.PENDING
    assert not Notification.objects.exists() and not Outbox.objects.exists()
    run_once()
    assert Notification.objects.count() == 120  # the 120 readers, not the author
    assert Outbox.objects.filter(state=Outbox.State.SENT).count() == 120
    assert len(mail.outbox) == 120
    run_once()  # nothing twice
    assert Notification.objects.count() == 120 and len(mail.outbox) == 120


def test_levels_mute_normal_all_and_always(personas):
    workspace = create_workspace(personas["office"], name="Stufen", visibility="platform")
    muted, normal, everything = many_users(3, "level")
    for user in (muted, normal, everything):
        WorkspaceMember.objects.create(workspace=workspace, user=user, role="editor")
    actions.set_workspace_level(muted, workspace, Level.MUTE)
    actions.set_workspace_level(everything, workspace, Level.ALL)
    audience = [muted, normal, everything]

    _event(audience, workspace=workspace, verb="news.posted")
    _event(audience, workspace=workspace, verb="news.commented", detail=True)
    _event(audience, workspace=workspace, verb="news.mentioned", always=True)

    def verbs(user):
        return sorted(Notification.objects.filter(recipient=user).values_list("event__verb", flat=True))

    assert verbs(muted) == ["news.mentioned"]
    assert verbs(normal) == ["news.mentioned", "news.posted"]
    assert verbs(everything) == ["news.commented", "news.mentioned", "news.posted"]


def test_email_modes_decide_about_mail_not_about_the_notification(personas):
    immediate, daily, off = many_users(3, "mode")
    actions.set_email_mode(daily, EmailMode.DAILY)
    actions.set_email_mode(off, EmailMode.OFF)
    _event([immediate, daily, off])
    states = dict(Notification.objects.values_list("recipient_id", "mail"))
    assert states == {immediate.pk: "immediate", daily.pk: "digest", off.pk: "none"}
    assert list(Outbox.objects.values_list("recipient_id", flat=True)) == [immediate.pk]


def test_mail_on_a_real_smtp_server_is_german_html_and_text_with_one_click_unsubscribe(personas, settings):
    member = personas["member"]
    with LocalSMTPServer() as smtp:
        use_smtp(settings, smtp)
        row_event = _event(
            [member],
            subject="Einladung zum Regietreffen",
            text="Wir treffen uns am 4. Juni in Herne.",
            attachments=[("regietreffen.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
        )
        assert deliver() == 1
        [message] = smtp.wait_for(1)
    row = Outbox.objects.get(event=row_event)
    assert message["Message-ID"] == row.message_id
    assert message["Subject"] == "[Interkommunal] Einladung zum Regietreffen"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe.startswith("http://testserver/benachrichtigungen/abbestellen/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Wir treffen uns am 4. Juni in Herne." in text and "Keine E-Mails mehr erhalten" in text
    assert '<html lang="de">' in html and "Wir treffen uns am 4. Juni in Herne." in html
    [attachment] = [part for part in message.iter_attachments() if part.get_filename() == "regietreffen.ics"]
    assert attachment.get_content_type() == "text/calendar"
    assert row.state == Outbox.State.SENT


def test_one_click_unsubscribe_works_by_post_without_login(personas, client):
    member = personas["member"]
    _event([member])
    message = _build(Outbox.objects.get())
    url = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert actions.email_mode_of(member) == EmailMode.OFF
    # the page behind the link asks first (GET changes nothing), then unsubscribes by button
    actions.set_email_mode(member, EmailMode.IMMEDIATE)
    assert client.get(url).status_code == 200
    assert actions.email_mode_of(member) == EmailMode.IMMEDIATE
    assert client.post(url).status_code == 200
    assert actions.email_mode_of(member) == EmailMode.OFF


def test_a_workspace_mail_unsubscribes_from_that_workspace_only(personas, client):
    member = personas["member"]
    workspace = create_workspace(personas["office"], name="Sommerfest", visibility="platform")
    WorkspaceMember.objects.create(workspace=workspace, user=member, role="editor")
    _event([member], workspace=workspace)
    url = _build(Outbox.objects.get()).extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert actions.email_mode_of(member) == EmailMode.IMMEDIATE
    assert member.workspace_notification_settings.get(workspace=workspace).level == Level.MUTE


def test_a_forged_or_changed_token_is_refused(personas, client):
    assert client.post("/benachrichtigungen/abbestellen/falsch/", {"List-Unsubscribe": "One-Click"}).status_code == 404
    _event([personas["member"]])
    url = _build(Outbox.objects.get()).extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    assert client.post(url[:-3] + "xy/").status_code == 404


def _build(row):
    from notifications.delivery import build_message

    return build_message(row)
