import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.db import connection

from mentoring.fields import DecryptionError
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


def test_filtering_on_encrypted_text_is_refused(amber):
    with pytest.raises(FieldError):
        list(Mentee.objects.filter(legal_name="Amber Example"))
    assert Mentee.objects.filter(legal_name__isnull=False).count() == 1


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


def test_the_matchers_reasons_are_stored_encrypted_and_read_back(dee_pair):
    """They repeat where she can get to and what she speaks ("Both speak …")."""
    from mentoring.models import Pair

    Pair.objects.filter(pk=dee_pair.pk).update(reasons=[["Both speak Tigrinya", 5.0]])
    with connection.cursor() as cursor:
        cursor.execute("SELECT reasons FROM mentoring_pair WHERE id = %s", [dee_pair.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("gAAAA") and "Tigrinya" not in raw
    assert Pair.objects.get(pk=dee_pair.pk).reason_list == [("Both speak Tigrinya", 5.0)]
    Pair.objects.filter(pk=dee_pair.pk).update(reasons=[])
    assert Pair.objects.get(pk=dee_pair.pk).reasons == []  # empty is NULL, read back as the default
