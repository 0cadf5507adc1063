"""Encrypt the TOTP keys and recovery-code seeds stored in the clear before accounts.mfa_secrets."""

from django.db import migrations


def seal(apps, schema_editor):
    from accounts import mfa_secrets

    mfa_secrets.reseal_all(apps.get_model("mfa", "Authenticator"))


def unseal(apps, schema_editor):
    from accounts import mfa_secrets

    mfa_secrets.rewrite_all(apps.get_model("mfa", "Authenticator"), mfa_secrets.unseal)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal, unseal)]
