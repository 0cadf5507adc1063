"""Encrypt the TOTP keys and recovery-code seeds stored in the clear before accounts.mfa_secrets."""

from django.db import migrations


def seal(apps, schema_editor):
    from accounts import mfa_secrets

    mfa_secrets.reseal_all(apps.get_model("mfa", "Authenticator"))


def unseal(apps, schema_editor):
    from accounts import mfa_secrets

    authenticator_model = apps.get_model("mfa", "Authenticator")
    for authenticator in authenticator_model.objects.filter(type__in=list(mfa_secrets.SECRET_FIELDS)).iterator():
        for field in mfa_secrets.SECRET_FIELDS[authenticator.type]:
            value = authenticator.data.get(field)
            if isinstance(value, str):
                authenticator.data[field] = mfa_secrets.unseal(value)
        authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal, unseal)]
