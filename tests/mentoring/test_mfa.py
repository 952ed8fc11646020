import pytest
from django.urls import reverse

from mentoring.models import Role
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SAFEGUARDING_LEAD, Role.DECISION_MAKER, Role.ORG_ADMIN])
def test_staff_without_mfa_are_sent_to_set_it_up(client, hub, role):
    from tests.factories import TEST_PASSWORD

    user = make_person("new.staff@example.test", "New", hub, role, mfa=False)
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    for url in (reverse("home"), reverse("ping"), reverse("mentee_list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    # Set-up is reachable: allauth asks for the password once more, then shows the QR code.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": TEST_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_staff_with_mfa_get_through(client, carys):
    client.force_login(carys)
    assert client.get(reverse("coordinator_home")).status_code == 200


def test_mentors_are_not_forced(client, ros):
    client.force_login(ros)
    assert client.get(reverse("mentor_home")).status_code == 200


def test_the_switch_turns_it_off(client, hub, settings):
    settings.REQUIRE_MFA = False
    user = make_person("demo@example.test", "Demo", hub, Role.COORDINATOR, mfa=False)
    client.force_login(user)
    assert client.get(reverse("coordinator_home")).status_code == 200


def test_login_asks_staff_for_their_code(client, carys):
    from tests.factories import TEST_PASSWORD

    response = client.post(reverse("account_login"), {"login": carys.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("coordinator_home")).status_code == 302  # not signed in yet


def test_failed_logins_are_rate_limited(client, ros):
    from tests.factories import TEST_PASSWORD

    for _ in range(5):
        client.post(reverse("account_login"), {"login": ros.email, "password": "wrong"})
    # Now even the right password is refused for a while.
    response = client.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("mentor_home")).status_code == 302


def test_admin_login_goes_through_the_rate_limited_login(client, superuser, ros):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(ros)  # signed in, but not operations staff
    assert client.get(reverse("admin:login")).status_code == 403


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
