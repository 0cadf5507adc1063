"""Development: mails land in a mailbox read in the browser (not in the terminal), and dead links show the German 404."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core import mail
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

MAILBOX = "ops.devmail.MailboxBackend"


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.EMAIL_BACKEND = MAILBOX
    settings.DEV_MAILBOX = True
    settings.DEV_MAILBOX_DIR = tmp_path / "mail"
    return tmp_path / "mail"


def send_invitation_like_mail():
    message = mail.EmailMultiAlternatives(
        "Einladung zu Interkommunal",
        "Bitte folgen Sie dem Link: http://127.0.0.1:8000/konto/einladung/abc/",
        to=["neu@essen.example"],
    )
    message.attach_alternative("<p>Bitte <a href='http://127.0.0.1:8000/konto/einladung/abc/'>folgen</a></p>", "text/html")
    message.send()


def test_mails_are_kept_and_listed_with_a_clickable_link(mailbox):
    send_invitation_like_mail()
    assert len(list(mailbox.glob("*.eml"))) == 1
    client = Client(REMOTE_ADDR="127.0.0.1")
    listing = client.get("/entwicklung/postfach/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Einladung zu Interkommunal" in page and "neu@essen.example" in page
    [mail_id] = [p.stem for p in mailbox.glob("*.eml")]
    detail = client.get(f"/entwicklung/postfach/{mail_id}/").content.decode()
    assert '<a href="http://127.0.0.1:8000/konto/einladung/abc/"' in detail
    html = client.get(f"/entwicklung/postfach/{mail_id}/html/")
    assert html.status_code == 200 and "sandbox" in html["Content-Security-Policy"]
    client.post("/entwicklung/postfach/")
    assert list(mailbox.glob("*.eml")) == []


def test_the_mailbox_is_closed_to_other_machines_and_names_no_paths(mailbox):
    send_invitation_like_mail()
    assert Client(REMOTE_ADDR="192.0.2.7").get("/entwicklung/postfach/").status_code == 404
    local = Client(REMOTE_ADDR="127.0.0.1")
    for probe in ("..%2F..%2Fsettings", "x" * 54, "../interkommunal.sqlite3"):
        assert local.get(f"/entwicklung/postfach/{probe}/").status_code == 404


def test_the_mailbox_is_off_unless_development_turned_it_on(settings):
    settings.DEV_MAILBOX = False
    assert Client(REMOTE_ADDR="127.0.0.1").get("/entwicklung/postfach/").status_code == 404


def test_development_settings_keep_mails_out_of_the_terminal(tmp_path):
    """The settings a fresh clone gets from bin/run (INTERKOMMUNAL_ENV=development, no EMAIL_HOST)."""
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.DEV_MAILBOX)"
    env = {"INTERKOMMUNAL_ENV": "development", "INTERKOMMUNAL_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='interkommunal.settings'; django.setup(); {code}"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.split() == [MAILBOX, "True"]


def test_dead_links_in_development_show_the_german_404_page(settings):
    # Both through the settings fixture: an override_settings decorator around it would be restored out of order.
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "ops.development.StyledNotFoundMiddleware"]
    client = Client()
    for url in ("/gibt-es-nicht/wirklich-nicht/", "/verzeichnis/personen/999999/"):
        response = client.get(url)
        assert response.status_code == 404
        page = response.content.decode()
        assert "Seite nicht gefunden" in page and "URLconf" not in page, url
