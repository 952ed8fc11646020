"""mentoring.adapters: no public sign-up; staff can't switch MFA off; sign-in by her current address."""

import pytest
from django.urls import reverse

from mentoring.models import User

pytestmark = pytest.mark.django_db


def test_there_is_no_public_sign_up(client):
    response = client.get(reverse("account_signup"))
    assert "closed" in response.content.decode().lower()
    client.post(
        reverse("account_signup"),
        {"email": "x@example.test", "password1": "a-strong-pass-phrase", "password2": "a-strong-pass-phrase"},
    )
    assert not User.objects.filter(email="x@example.test").exists()


def test_staff_cannot_switch_mfa_off_but_mentors_can(carys, ros, settings):
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(ros, generate_totp_secret())
    adapter = get_adapter()
    assert not adapter.can_delete_authenticator(Authenticator.objects.get(user=carys))
    assert adapter.can_delete_authenticator(Authenticator.objects.get(user=ros))
    settings.REQUIRE_MFA = False
    assert adapter.can_delete_authenticator(Authenticator.objects.get(user=carys))


def test_she_signs_in_by_her_current_address_only(ros):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import authenticate

    from tests.factories import TEST_PASSWORD

    EmailAddress.objects.create(user=ros, email="ros.new@example.test", verified=False)
    assert authenticate(None, email="ros.new@example.test", password=TEST_PASSWORD) is None
    assert authenticate(None, email="ROS@example.test", password=TEST_PASSWORD) == ros
    assert authenticate(None, username="ros@example.test", password=TEST_PASSWORD) == ros  # the admin's login
    assert authenticate(None, email="ros@example.test", password="wrong-password-1") is None
