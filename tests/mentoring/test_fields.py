import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from mentoring.fields import DecryptionError, decrypt
from mentoring.models import Mentee
from mentoring.services.mentees import mentee_create

pytestmark = pytest.mark.django_db


def raw_legal_name(mentee: Mentee) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_name FROM mentoring_mentee WHERE id = %s", [mentee.pk])
        return cursor.fetchone()[0]


def test_raw_column_holds_ciphertext_not_the_text(amber):
    raw = raw_legal_name(amber)
    assert raw is not None
    assert "Amber" not in raw and "Example" not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    assert Mentee.objects.get(pk=amber.pk).legal_name == "Amber Example"


def test_blank_is_stored_as_null_and_read_as_empty(hub, carys):

    mentee = mentee_create(hub=hub, chosen_name="Nell", acting_user=carys)
    assert raw_legal_name(mentee) is None
    assert Mentee.objects.get(pk=mentee.pk).legal_name == ""


def test_wrong_key_raises_instead_of_returning_ciphertext(amber, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(DecryptionError) as caught:
        Mentee.objects.get(pk=amber.pk)
    assert "gAAAA" not in str(caught.value)


def test_unencrypted_data_in_the_column_raises(amber):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE mentoring_mentee SET legal_name = 'plain text' WHERE id = %s", [amber.pk])
    with pytest.raises(DecryptionError):
        Mentee.objects.get(pk=amber.pk)


def test_rotation_re_encrypts_with_the_new_key_and_old_key_can_then_go(amber, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    before = raw_legal_name(amber)
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert Mentee.objects.get(pk=amber.pk).legal_name == "Amber Example"  # reads with either key

    call_command("rotate_encryption_keys")

    after = raw_legal_name(amber)
    assert after != before
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert Mentee.objects.get(pk=amber.pk).legal_name == "Amber Example"
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    with pytest.raises(DecryptionError):
        Mentee.objects.get(pk=amber.pk)


def test_filtering_on_encrypted_text_is_refused(amber):
    with pytest.raises(FieldError):
        list(Mentee.objects.filter(legal_name="Amber Example"))
    assert Mentee.objects.filter(legal_name__isnull=False).count() == 1


def test_totp_secrets_are_stored_encrypted_and_rotated_with_the_field_keys(carys, settings):
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
    call_command("rotate_encryption_keys")
    rotated = Authenticator.objects.get(pk=authenticator.pk).data["secret"]
    assert rotated != stored
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the new key alone reads it
    assert decrypt(rotated) == secret


def test_the_mfa_secrets_are_not_in_the_operations_admin():
    from allauth.mfa.models import Authenticator
    from django.contrib import admin

    assert not admin.site.is_registered(Authenticator)


def test_a_short_encrypted_answer_keeps_its_length_limit_and_one_line_input(amber, carys):
    from django import forms
    from django.core.exceptions import ValidationError

    from mentoring.models import Referral

    field = Referral._meta.get_field("referrer_organisation")
    assert isinstance(field.formfield().widget, forms.TextInput)
    assert field.formfield().max_length == 200
    referral = Referral(mentee=amber, hub=amber.hub, created_by=carys, referrer_organisation="x" * 201)
    with pytest.raises(ValidationError) as caught:
        referral.full_clean()
    assert "referrer_organisation" in caught.value.message_dict
    referral.referrer_organisation = "x" * 200
    referral.full_clean()


def raw_reasons() -> list[str | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM mentoring_accesslog ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_rotation_re_encrypts_the_access_log_and_leaves_it_append_only(amber, carys, settings):
    """The access log refuses every UPDATE; rotation is the one rewrite it allows, and only
    for the length of each batch's transaction."""
    from django.db import DatabaseError, transaction

    from mentoring.models import AccessLog
    from mentoring.policies.audit import access_log_record

    access_log_record(user=carys, action=AccessLog.Action.REVEAL, obj=amber, hub=amber.hub, reason="Safety plan")
    before = raw_reasons()
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    call_command("rotate_encryption_keys")

    after = raw_reasons()
    assert len(after) == len(before) and all(a != b for a, b in zip(after, before, strict=True) if b)
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert "Safety plan" in [entry.reason for entry in AccessLog.objects.all()]
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        AccessLog.objects.update(action=AccessLog.Action.VIEW)
