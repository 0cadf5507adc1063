"""Self-checks for the test-support helpers.

They exercise each helper for real (real PostgreSQL, real SMTP, real HTTP,
real Chromium) so that a broken CI image fails here, loudly, before hundreds of
application tests fail in confusing ways.  No Django database is used, so this
runs both with ``-p no:django`` and under pytest-django.
"""

from __future__ import annotations

import base64
import json
import secrets
import smtplib
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jwt
import psycopg
import pytest
from playwright.sync_api import Browser

from tests.support.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    launch_chromium,
)
from tests.support.oidc_provider import OIDCTestProvider, pkce_challenge
from tests.support.pgcluster import PostgresCluster
from tests.support.smtp import LocalSMTPServer

PROJECT_ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- PostgreSQL
def test_postgres_cluster_runs_queries_and_cleans_up() -> None:
    with PostgresCluster() as cluster:
        directory = cluster.directory
        assert directory is not None
        assert directory.is_dir()
        assert cluster.url.startswith("postgres://interkommunal:interkommunal@127.0.0.1:")
        assert cluster.url.endswith("/interkommunal")
        with psycopg.connect(cluster.url, connect_timeout=10) as conn:
            row = conn.execute(
                "SELECT 1, current_user, current_database(), current_setting('fsync'),"
                " current_setting('max_connections'), rolsuper"
                " FROM pg_roles WHERE rolname = current_user"
            ).fetchone()
        assert row == (1, "interkommunal", "interkommunal", "off", "200", True)
    assert not directory.exists(), "stop() must delete the cluster directory"


def test_pgcluster_cli_prints_one_database_url_line() -> None:
    # Directly under /tmp: as root the server runs as 'postgres', which cannot
    # enter pytest's 0700 tmp_path directories.
    directory = Path(tempfile.gettempdir()) / f"pgcli-{secrets.token_hex(6)}"
    cmd = [sys.executable, "-m", "tests.support.pgcluster"]
    started = subprocess.run(
        [*cmd, "start", "--dir", str(directory)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    try:
        assert started.returncode == 0, started.stderr
        lines = started.stdout.splitlines()
        assert len(lines) == 1, started.stdout
        assert lines[0].startswith("DATABASE_URL=postgres://"), started.stdout
        url = lines[0].split("=", 1)[1]
        with psycopg.connect(url, connect_timeout=10) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        stopped = subprocess.run(
            [*cmd, "stop", "--dir", str(directory)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert stopped.returncode == 0, stopped.stderr
    assert not directory.exists()


# ---------------------------------------------------------------------- SMTP
def test_smtp_server_receives_real_mail() -> None:
    with LocalSMTPServer() as server:
        message = EmailMessage()
        message["From"] = "noreply@example.org"
        message["To"] = "anna@example.org"
        message["Subject"] = "Grüße aus dem Test"
        message.set_content("Hallo Anna,\nalles gut.\n")
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            client.send_message(message, to_addrs=["anna@example.org", "bcc@example.org"])

        [received] = server.wait_for(1)
        assert received["Subject"] == "Grüße aus dem Test"
        assert received.get_content().startswith("Hallo Anna,")
        assert received.envelope_from == "noreply@example.org"
        assert received.envelope_to == ["anna@example.org", "bcc@example.org"]

        with pytest.raises(AssertionError, match="Expected at least 2"):
            server.wait_for(2, timeout=0.2)
        server.clear()
        assert server.messages == []


# ---------------------------------------------------------------------- OIDC
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Surface 302s as HTTPError so the test can read Location itself."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _get_json(url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        payload: dict[str, Any] = json.loads(response.read())
    return payload


def _post_form(url: str, data: dict[str, str], headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def _authorize(provider: OIDCTestProvider, params: dict[str, str]) -> dict[str, list[str]]:
    """Follow /authorize up to the redirect and return the callback's query."""
    opener = urllib.request.build_opener(_NoRedirect)
    url = provider.authorization_endpoint + "?" + urllib.parse.urlencode(params)
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        opener.open(url, timeout=10)
    assert excinfo.value.code == 302
    location = excinfo.value.headers["Location"]
    assert location.startswith(params["redirect_uri"])
    return urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)


def test_oidc_provider_code_flow_with_pkce() -> None:
    redirect_uri = "http://127.0.0.1:8000/accounts/oidc/callback/"
    with OIDCTestProvider("rp-client", "rp-secret") as provider:
        provider.login_as(sub="user-1", email="ute@example.org", given_name="Ute", family_name="Eins")
        config = _get_json(provider.discovery_url)
        assert config["issuer"] == provider.issuer
        assert config["code_challenge_methods_supported"] == ["S256"]

        verifier = secrets.token_urlsafe(48)
        query = _authorize(
            provider,
            {
                "response_type": "code",
                "client_id": "rp-client",
                "redirect_uri": redirect_uri,
                "scope": "openid email profile",
                "state": "st-123",
                "nonce": "n-456",
                "code_challenge": pkce_challenge(verifier),
                "code_challenge_method": "S256",
            },
        )
        assert query["state"] == ["st-123"]
        code = query["code"][0]

        basic = base64.b64encode(b"rp-client:rp-secret").decode()
        token_request = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        status, tokens = _post_form(config["token_endpoint"], token_request, {"Authorization": f"Basic {basic}"})
        assert status == 200, tokens
        assert tokens["token_type"] == "Bearer"

        jwks = _get_json(config["jwks_uri"])
        kid = jwt.get_unverified_header(tokens["id_token"])["kid"]
        [key] = [k for k in jwks["keys"] if k["kid"] == kid]
        claims = jwt.decode(
            tokens["id_token"],
            jwt.PyJWK(key).key,
            algorithms=["RS256"],
            audience="rp-client",
            issuer=provider.issuer,
        )
        assert claims["sub"] == "user-1"
        assert claims["nonce"] == "n-456"
        assert claims["email"] == "ute@example.org"
        assert claims["email_verified"] is True
        assert claims["name"] == "Ute Eins"

        userinfo = _get_json(
            config["userinfo_endpoint"],
            {"Authorization": f"Bearer {tokens['access_token']}"},
        )
        assert userinfo["sub"] == "user-1"
        assert userinfo["given_name"] == "Ute"

        # Codes are single use.
        status, error = _post_form(config["token_endpoint"], token_request, {"Authorization": f"Basic {basic}"})
        assert (status, error["error"]) == (400, "invalid_grant")

        # client_secret_post works too; a wrong PKCE verifier is rejected.
        query = _authorize(
            provider,
            {
                "response_type": "code",
                "client_id": "rp-client",
                "redirect_uri": redirect_uri,
                "scope": "openid",
                "code_challenge": pkce_challenge(verifier),
                "code_challenge_method": "S256",
            },
        )
        status, error = _post_form(
            config["token_endpoint"],
            {
                "grant_type": "authorization_code",
                "code": query["code"][0],
                "redirect_uri": redirect_uri,
                "code_verifier": secrets.token_urlsafe(48),
                "client_id": "rp-client",
                "client_secret": "rp-secret",
            },
        )
        assert (status, error["error"]) == (400, "invalid_grant")

        # Wrong client secret is a 401.
        query = _authorize(
            provider,
            {
                "response_type": "code",
                "client_id": "rp-client",
                "redirect_uri": redirect_uri,
                "scope": "openid",
            },
        )
        status, error = _post_form(
            config["token_endpoint"],
            {
                "grant_type": "authorization_code",
                "code": query["code"][0],
                "redirect_uri": redirect_uri,
                "client_id": "rp-client",
                "client_secret": "nope",
            },
        )
        assert (status, error["error"]) == (401, "invalid_client")
        assert [r.status for r in provider.requests_to("/token")] == [
            200,
            400,
            400,
            401,
        ]


# ------------------------------------------------------------------- Browser
@pytest.fixture
def browser(chromium) -> Browser:
    """The suite's shared Chromium (tests/conftest.py): only one Playwright may run per process."""
    return chromium


def _data_url(body: str) -> str:
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Selfcheck</title></head><body><main><h1>Selfcheck</h1>{body}</main></body></html>"
    )
    return "data:text/html;charset=utf-8," + urllib.parse.quote(page)


def test_accessible_page_passes_axe_and_reflows(browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    try:
        page.goto(_data_url("<label for='name'>Name</label><input id='name' name='name'>"))
        assert_accessible(page, context="labelled input")
        assert_no_horizontal_scroll(page)
    finally:
        page.close()


def test_missing_alt_text_fails_axe(browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    try:
        pixel = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
        page.goto(_data_url(f"<img src='{pixel}' width='10' height='10'>"))
        with pytest.raises(AssertionError, match="image-alt") as excinfo:
            assert_accessible(page, context="img without alt")
        assert "img without alt" in str(excinfo.value)
    finally:
        page.close()


def test_wide_content_fails_reflow_check(browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    try:
        page.goto(_data_url("<div id='wide' style='width:900px'>too wide</div>"))
        with pytest.raises(AssertionError, match="div#wide"):
            assert_no_horizontal_scroll(page)
    finally:
        page.close()


def test_missing_chromium_is_an_error_not_a_skip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHROMIUM_EXECUTABLE", "/nonexistent/chromium")
    # The check happens before Playwright is used, so a stub suffices (and we
    # avoid a second sync_playwright() while the module's browser is running).
    with pytest.raises(RuntimeError, match="Chromium not found"):
        launch_chromium(SimpleNamespace())  # type: ignore[arg-type]
