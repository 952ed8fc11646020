from cryptography.fernet import InvalidToken
from django.db import migrations

# TOTP keys and recovery-code seeds were stored in plain text before the MFA adapter encrypted
# them: encrypt any stored that way. A value that already decrypts is left as it is.


def encrypt_plain_secrets(apps, schema_editor):
    from mentoring.fields import encrypt, fernet, map_authenticator_secrets

    def encrypted(value):
        try:
            fernet().decrypt(value.encode("ascii"))
        except (InvalidToken, UnicodeError):
            return encrypt(value)
        return value

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        authenticator.data = map_authenticator_secrets(authenticator.data, encrypted)
        authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0011_declare_raw_indexes"), ("mfa", "0003_authenticator_type_uniq")]
    operations = [migrations.RunPython(encrypt_plain_secrets, migrations.RunPython.noop)]
