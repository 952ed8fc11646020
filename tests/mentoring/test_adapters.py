"""mentoring.adapters: no public sign-up; staff can't switch MFA off."""

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
