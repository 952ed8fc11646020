"""Key rotation: every encrypted field, the TOTP secrets and the access log's reasons are
re-encrypted with the newest key, as the tables' owner (it rewrites the append-only log).

Transactional: the command connects as the owner, which a test's open transaction would not
survive. Each test ends by emptying every table, done as the owner too.
"""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from config.database_roles import connected_as
from mentoring.fields import DecryptionError, decrypt
from mentoring.models import Mentee

pytestmark = pytest.mark.usefixtures("committed_db")


def raw_legal_name(mentee: Mentee) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_name FROM mentoring_mentee WHERE id = %s", [mentee.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def rotate_as_owner(database_roles, settings):
    """The command run as an operator runs it: the owner's URL is configured beside the app's,
    and the command switches to the owner (the suite itself runs as the app's role)."""
    settings.DATABASE_ROLES = {"owner": database_roles["owner"], "app": database_roles["app"]}

    def rotate() -> None:
        call_command("rotate_encryption_keys")
        assert connection.settings_dict["USER"] == database_roles["app"]["USER"]  # and back again

    return rotate


def test_rotation_re_encrypts_with_the_new_key_and_old_key_can_then_go(amber, settings, rotate_as_owner):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    before = raw_legal_name(amber)
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert Mentee.objects.get(pk=amber.pk).legal_name == "Amber Example"  # reads with either key

    rotate_as_owner()

    after = raw_legal_name(amber)
    assert after != before
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert Mentee.objects.get(pk=amber.pk).legal_name == "Amber Example"
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    with pytest.raises(DecryptionError):
        Mentee.objects.get(pk=amber.pk)


def test_totp_secrets_are_stored_encrypted_and_rotated_with_the_field_keys(carys, settings, rotate_as_owner):
    """carys set up TOTP (conftest) through allauth, which writes secrets through our MFA adapter."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time

    authenticator = Authenticator.objects.get(user=carys, type=Authenticator.Type.TOTP)
    stored = authenticator.data["secret"]
    secret = decrypt(stored)
    assert stored != secret and len(secret) >= 16
    code = format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))
    assert TOTP(authenticator).validate_code(code)  # allauth reads it back through us
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
    rotate_as_owner()
    rotated = Authenticator.objects.get(pk=authenticator.pk).data["secret"]
    assert rotated != stored
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the new key alone reads it
    assert decrypt(rotated) == secret


def raw_reasons() -> list[str | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM mentoring_accesslog ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_rotation_re_encrypts_the_access_log_and_leaves_it_append_only(
    amber, carys, settings, rotate_as_owner, database_roles
):
    """The access log refuses every UPDATE; rotation is the one rewrite it allows, and only
    for the length of each batch's transaction."""
    from django.db import DatabaseError, transaction

    from mentoring.models import AccessLog
    from mentoring.policies.audit import access_log_record

    access_log_record(user=carys, action=AccessLog.Action.REVEAL, obj=amber, hub=amber.hub, reason="Safety plan")
    before = raw_reasons()
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    rotate_as_owner()

    after = raw_reasons()
    assert len(after) == len(before) and all(a != b for a, b in zip(after, before, strict=True) if b)
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert "Safety plan" in [entry.reason for entry in AccessLog.objects.all()]
    # Append-only again: the trigger refuses even the owner (the app's role has no UPDATE right).
    with (
        connected_as(connection, database_roles["owner"]),
        pytest.raises(DatabaseError, match="Cannot update"),
        transaction.atomic(),
    ):
        AccessLog.objects.update(action=AccessLog.Action.VIEW)
