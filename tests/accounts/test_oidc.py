"""Sign-in through a city's identity provider (OpenID Connect), against a real IdP over HTTP.

Decision on the second factor: the city's IdP is expected to enforce its own MFA, but the
platform cannot see that. For the managing office and admins the platform therefore still
requires its own factor: allauth asks for the TOTP code after the city login when one is set
up, and RequireMFAMiddleware sends them to the setup when none is.
"""

import datetime as dt
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount

from accounts.models import User
from audit.models import AuditEvent
from members.models import Person
from tests.conftest import TOTP_SECRET
from tests.support.oidc_provider import OIDCTestProvider

from .helpers import main_html, text_of, totp_code

pytestmark = [pytest.mark.django_db]

LOGIN_URL = "/konto/oidc/stadt/login/"
CALLBACK_PATH = "/konto/oidc/stadt/login/callback/"


@pytest.fixture
def idp(settings):
    with OIDCTestProvider("interkommunal-test", "geheimnis-der-stadt") as provider:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "stadt",
                        "name": "Stadtkonto Essen",
                        "client_id": provider.client_id,
                        "secret": provider.client_secret,
                        "settings": {
                            "server_url": provider.issuer,
                            "token_auth_method": "client_secret_basic",
                            "oauth_pkce_enabled": True,
                        },
                    }
                ],
            }
        }
        settings.SOCIALACCOUNT_AUTO_SIGNUP = True
        yield provider


class _KeepRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def authorize_at_idp(url: str) -> str:
    """Open the IdP's /authorize over real HTTP and return where it sends the browser back to."""
    opener = urllib.request.build_opener(_KeepRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(url, timeout=10)
    assert answer.value.code == 302
    return answer.value.headers["Location"]


def city_login(client, idp):
    """Start at the platform, approve at the IdP, return the platform's answer to the callback."""
    response = client.post(LOGIN_URL)
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith(idp.authorization_endpoint)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]

    back = urlsplit(authorize_at_idp(authorize))
    assert back.path == CALLBACK_PATH
    assert "code" in parse_qs(back.query)
    return client.get(f"{back.path}?{back.query}")  # allauth now calls the IdP's token endpoint


def test_login_page_offers_the_city_login(client, idp, cooperation):
    html = main_html(client.get("/konto/login/"))
    assert "Mit dem Konto Ihrer Stadtverwaltung" in html
    assert f'action="{LOGIN_URL}?process=login"' in html
    assert "Stadtkonto Essen" in html


def test_city_login_link_opened_directly_asks_before_leaving_the_platform(client, idp, cooperation):
    response = client.get(LOGIN_URL)
    html = main_html(response)
    assert response.status_code == 200
    assert '<h1 class="kern-heading-large">Stadtkonto Essen</h1>' in html
    assert "Sie werden zur Anmeldeseite Ihrer Stadtverwaltung weitergeleitet." in html
    assert idp.requests_to("/authorize") == []  # nothing leaves the platform on a GET


def test_known_person_gets_an_account_linked_and_is_signed_in(client, idp, cooperation):
    person = Person.objects.create(given_name="Ida", family_name="Ruhr", email="Ida.Ruhr@essen.example")
    idp.login_as(sub="essen-4711", email="ida.ruhr@essen.example", given_name="Ida", family_name="Ruhr")

    response = city_login(client, idp)
    assert response.status_code == 302
    assert response["Location"] == "/mein-bereich/"

    user = User.objects.get(email="ida.ruhr@essen.example")
    person.refresh_from_db()
    assert person.user == user
    assert int(client.session["_auth_user_id"]) == user.pk
    assert SocialAccount.objects.get(user=user).uid == "essen-4711"
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(action="account.created_by_city_login", actor=user).exists()

    [token_request] = idp.requests_to("/token")
    assert token_request.status == 200
    assert "code_verifier" in token_request.form  # PKCE end to end


def test_unknown_address_is_refused_and_no_account_is_created(client, idp, cooperation):
    idp.login_as(sub="fremd-1", email="unbekannt@essen.example")
    response = city_login(client, idp)
    assert "_auth_user_id" not in client.session
    assert "Registrierung nur auf Einladung" in text_of(main_html(response))
    assert not User.objects.filter(email="unbekannt@essen.example").exists()
    assert not SocialAccount.objects.exists()


def test_address_the_idp_does_not_vouch_for_is_refused(client, idp, cooperation):
    Person.objects.create(given_name="Uwe", family_name="Ungeprueft", email="uwe@essen.example")
    idp.login_as(sub="essen-0815", email="uwe@essen.example", email_verified=False)
    city_login(client, idp)
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="uwe@essen.example").exists()
    assert Person.objects.get(email="uwe@essen.example").user is None


def test_without_auto_signup_even_known_people_need_an_invitation(client, idp, cooperation, settings):
    settings.SOCIALACCOUNT_AUTO_SIGNUP = False
    Person.objects.create(given_name="Ida", family_name="Ruhr", email="ida.ruhr@essen.example")
    idp.login_as(sub="essen-4711", email="ida.ruhr@essen.example")
    city_login(client, idp)
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="ida.ruhr@essen.example").exists()


def test_existing_account_with_that_verified_address_is_connected_and_signed_in(client, idp, personas):
    idp.login_as(sub="bochum-42", email="member@test.example", given_name="Mara")
    response = city_login(client, idp)
    assert response["Location"] == "/mein-bereich/"
    assert int(client.session["_auth_user_id"]) == personas["member"].pk
    account = SocialAccount.objects.get(uid="bochum-42")
    assert account.user == personas["member"]
    assert User.objects.filter(email="member@test.example").count() == 1


def test_unverified_claim_cannot_take_over_an_existing_account(client, idp, personas):
    idp.login_as(sub="angreifer", email="member@test.example", email_verified=False)
    city_login(client, idp)
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_office_with_totp_must_still_enter_the_platform_code(client, idp, personas):
    idp.login_as(sub="essen-office", email="office@test.example")
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        response = city_login(client, idp)
        assert response["Location"] == "/konto/2fa/authenticate/"
        assert "_auth_user_id" not in client.session
        response = client.post("/konto/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
        assert response["Location"] == "/mein-bereich/"
        assert int(client.session["_auth_user_id"]) == personas["office"].pk


def test_office_without_a_platform_factor_is_sent_to_setup_after_city_login(client, idp, personas):
    Authenticator.objects.filter(user=personas["office"]).delete()
    idp.login_as(sub="essen-office", email="office@test.example")
    response = city_login(client, idp)
    assert int(client.session["_auth_user_id"]) == personas["office"].pk
    response = client.get(response["Location"])
    assert response["Location"] == "/konto/2fa/totp/activate/"
    assert client.get("/konto/2fa/totp/activate/").status_code == 200  # no extra password prompt
