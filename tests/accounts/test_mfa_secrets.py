"""Second-factor secrets are stored encrypted; a key rotation with a fallback keeps every login working."""

import datetime as dt
import io

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts import mfa_secrets
from tests.conftest import TOTP_SECRET

from .helpers import password_login, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

OLD_KEY = "old-key-" + "x" * 60
NEW_KEY = "new-key-" + "y" * 60


@pytest.fixture
def frozen_time():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def _totp(user) -> Authenticator:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)


def _signs_in_with_totp(client) -> bool:
    password_login(client, "office@test.example")
    return client.post("/konto/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)}).status_code == 302


def test_the_totp_key_is_not_stored_in_the_clear(personas):
    stored = _totp(personas["office"]).data["secret"]
    assert stored.startswith(mfa_secrets.PREFIX)
    assert TOTP_SECRET not in stored
    assert mfa_secrets.unseal(stored) == TOTP_SECRET
    # The same secret sealed twice gives two different values (fresh nonce).
    assert mfa_secrets.seal(TOTP_SECRET) != mfa_secrets.seal(TOTP_SECRET)


def test_sealed_values_login_and_recovery_codes_work(client, personas, frozen_time):
    assert _signs_in_with_totp(client)
    codes = RecoveryCodes.activate(personas["office"])
    stored = codes.instance.data["seed"]
    assert stored.startswith(mfa_secrets.PREFIX)
    assert len(codes.get_unused_codes()) == 10
    assert codes.validate_code(codes.get_unused_codes()[0])


def test_a_tampered_value_is_refused():
    sealed = mfa_secrets.seal("JBSWY3DPEHPK3PXP")
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(mfa_secrets.UnreadableSecret):
        mfa_secrets.unseal(tampered)
    with pytest.raises(mfa_secrets.UnreadableSecret):
        mfa_secrets.unseal(mfa_secrets.PREFIX + "%%%")


def test_key_rotation_with_fallback_then_reseal(client, personas, frozen_time):
    with override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        call_command("reseal_mfa_secrets", stdout=io.StringIO())
        sealed_with_old = _totp(personas["office"]).data["secret"]

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        with pytest.raises(mfa_secrets.UnreadableSecret):
            mfa_secrets.unseal(sealed_with_old)
        with pytest.raises(CommandError):
            call_command("reseal_mfa_secrets")

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert _signs_in_with_totp(client)
        output = io.StringIO()
        call_command("reseal_mfa_secrets", stdout=output)
        assert "sealed with the current key" in output.getvalue()
        assert _totp(personas["office"]).data["secret"] != sealed_with_old

    client.logout()
    frozen_time.shift(dt.timedelta(minutes=2))  # a new TOTP window: the code is not a replay
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        assert _signs_in_with_totp(client)


def test_secrets_written_before_encryption_are_sealed_by_the_migration_step(personas):
    authenticator = _totp(personas["office"])
    Authenticator.objects.filter(pk=authenticator.pk).update(data={"secret": TOTP_SECRET})
    assert mfa_secrets.unseal(TOTP_SECRET) == TOTP_SECRET  # a legacy value is still readable
    assert mfa_secrets.reseal_all(Authenticator) >= 1
    stored = _totp(personas["office"]).data["secret"]
    assert stored.startswith(mfa_secrets.PREFIX) and mfa_secrets.unseal(stored) == TOTP_SECRET
