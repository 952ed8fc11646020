"""mentoring.middleware: staff must set up MFA; sessions time out when idle (by role) and after 12
hours, keeping what was typed."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from mentoring.models import Role, StashedSubmission
from mentoring.services.people import membership_add
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def age_session(client: Client, *, seen_ago: float = 0, started_ago: float = 0) -> None:
    session = client.session
    session["alongside_seen"] = time.time() - seen_ago
    session["alongside_started"] = time.time() - started_ago
    session.save()


# --- MFA ---


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


# --- session timeouts ---


@pytest.mark.parametrize(
    ("who", "idle_minutes", "signed_out"),
    [
        ("mentor_unpaired", 20, False),  # mentors: 30 minutes
        ("mentor_unpaired", 31, True),
        ("coordinator", 14, False),  # staff: 15 minutes
        ("coordinator", 16, True),
    ],
)
def test_idle_timeout_by_role(client, everyone, who, idle_minutes, signed_out):
    client.force_login(everyone[who])
    client.get(reverse("home"))
    age_session(client, seen_ago=idle_minutes * 60)
    response = client.get(reverse("ping"))
    if signed_out:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert client.get(reverse("ping")).status_code == 302  # and stays signed out
    else:
        assert response.status_code == 200


def test_absolute_timeout_after_12_hours_even_when_active(client, carys):
    client.force_login(carys)
    client.get(reverse("home"))
    age_session(client, seen_ago=60, started_ago=12 * 3600 + 1)
    assert client.get(reverse("ping")).status_code == 302


def test_htmx_request_gets_a_redirect_header_on_timeout(client, carys):
    client.force_login(carys)
    client.get(reverse("home"))
    age_session(client, seen_ago=3600)
    response = client.get(reverse("ping"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("account_login"))


def test_typed_input_survives_a_session_timeout(client, carys, amber):
    import time

    client.force_login(carys)
    client.get(reverse("home"))
    session = client.session
    session["alongside_seen"] = time.time() - 3600
    session.save()
    url = reverse("mentee_edit", args=[amber.pk])
    response = client.post(url, {"chosen_name": "Amber", "access_needs": "Step-free access please"})
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(carys)
    page = client.get(url).content.decode()
    assert "Step-free access please" in page
    assert "we kept what you typed" in page
    assert "Step-free access please" not in client.get(url).content.decode()  # once only


def test_a_log_her_phone_sends_after_a_timeout_stays_on_the_phone_not_in_a_stash(client, dee, dee_pair):
    """The phone sends it again after she signs in; stashed, it would come back as a form filled in
    with a log already sent, whose id would make a new log typed over it count as that one."""
    import uuid

    from django.utils import timezone

    client.force_login(dee)
    client.get(reverse("mentor_home"))
    age_session(client, seen_ago=31 * 60)
    url = reverse("session_log", args=[dee_pair.pk])
    log = {"client_id": str(uuid.uuid4()), "held_on": timezone.localdate().isoformat(), "duration_minutes": "30"}
    log |= {"mode": "phone", "notes": "Kept on the phone", "wellbeing": "fine"}
    response = client.post(url, log, headers={"accept": "application/json"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not StashedSubmission.objects.exists()
    # The same log from the form itself (no script) is kept, as every form's is.
    client.force_login(dee)
    client.get(reverse("mentor_home"))
    age_session(client, seen_ago=31 * 60)
    client.post(url, log)
    assert StashedSubmission.objects.count() == 1


# --- decided on every request, from the roles she holds now ---


def test_a_mentor_made_coordinator_mid_session_sets_up_mfa_before_any_record(client, ros, hub, amber):
    client.force_login(ros)
    assert client.get(reverse("mentor_home")).status_code == 200
    membership_add(user=ros, hub=hub, role=Role.COORDINATOR)  # she accepted a coordinator role
    for url in (reverse("mentee_detail", args=[amber.pk]), reverse("mentee_reveal_legal_name", args=[amber.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


def test_the_idle_limit_follows_her_roles_now(client, ros, hub):
    client.force_login(ros)
    client.get(reverse("home"))
    age_session(client, seen_ago=20 * 60)  # within a mentor's 30 minutes
    assert client.get(reverse("ping")).status_code == 200
    membership_add(user=ros, hub=hub, role=Role.SAFEGUARDING_LEAD)
    age_session(client, seen_ago=20 * 60)  # past a staff member's 15
    response = client.get(reverse("ping"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_forged_post_on_a_timed_out_session_is_not_kept(carys, amber):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carys)
    url = reverse("mentee_edit", args=[amber.pk])
    client.get(url)
    token = client.cookies["csrftoken"].value
    age_session(client, seen_ago=3600)
    client.post(url, {"chosen_name": "Amber", "access_needs": "Forged text"})  # no CSRF token
    assert not StashedSubmission.objects.filter(user=carys).exists()
    client.force_login(carys)
    client.get(url)
    age_session(client, seen_ago=3600)
    client.post(url, {"chosen_name": "Amber", "access_needs": "Her own words", "csrfmiddlewaretoken": token})
    assert StashedSubmission.objects.filter(user=carys).count() == 1


# --- signed-in devices ---


def test_a_devices_last_use_is_written_at_most_every_half_minute(client, ros):
    from allauth.usersessions.models import UserSession

    from tests.factories import TEST_PASSWORD

    client.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
    device = UserSession.objects.get(user=ros)  # listed from the moment she signs in
    client.get(reverse("mentor_home"))
    first_seen = UserSession.objects.get(pk=device.pk).last_seen_at
    for _ in range(3):
        client.get(reverse("mentor_home"))
    assert UserSession.objects.get(pk=device.pk).last_seen_at == first_seen
    session = client.session
    session["alongside_device_seen"] = time.time() - 31
    session.save()
    client.get(reverse("mentor_home"))
    assert UserSession.objects.get(pk=device.pk).last_seen_at > first_seen
    assert UserSession.objects.filter(user=ros).count() == 1


# --- what the browser is told to delete ---


def signed_in(user) -> Client:
    from tests.factories import TEST_PASSWORD

    device = Client()
    device.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert device.get(reverse("mentor_home")).status_code == 200
    return device


def test_signing_out_tells_the_browser_to_delete_the_sites_data(ros):
    phone = signed_in(ros)
    response = phone.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "Clear-Site-Data" not in phone.get(reverse("account_login"))


def test_a_timed_out_session_deletes_nothing_on_the_phone(ros):
    """Her unsent logs wait on the phone until she signs in again."""
    phone = signed_in(ros)
    age_session(phone, seen_ago=31 * 60)
    response = phone.get(reverse("mentor_home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "Clear-Site-Data" not in response


def test_a_deactivated_mentors_phone_is_cleared_when_it_next_reaches_us(ros, olu, django_capture_on_commit_callbacks):
    from mentoring.services.people import user_deactivate

    phone, laptop = signed_in(ros), signed_in(ros)
    with django_capture_on_commit_callbacks(execute=True):
        user_deactivate(user=ros, acting_user=olu)
    for device in (phone, laptop):
        response = device.get(reverse("mentor_home"), headers={"accept": "application/json"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
        assert response["Clear-Site-Data"] == '"cache", "storage"'
        # Said once: the mark went with the session.
        assert "Clear-Site-Data" not in device.get(reverse("mentor_home"))


def test_her_last_role_taken_away_clears_her_phone(ros, olu, django_capture_on_commit_callbacks):
    from mentoring.models import Membership
    from mentoring.services.people import membership_remove

    phone = signed_in(ros)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(membership=Membership.objects.get(user=ros), acting_user=olu)
    assert phone.get(reverse("mentor_home"))["Clear-Site-Data"] == '"cache", "storage"'


def test_an_account_switched_off_behind_the_services_back_clears_her_phone(ros):
    from mentoring.models import User

    phone = signed_in(ros)
    User.objects.filter(pk=ros.pk).update(is_active=False)
    response = phone.get(reverse("mentor_home"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_a_password_changed_on_another_device_only_signs_her_out(ros):
    """Her other sessions end (their password hash is stale), but her phone keeps its unsent logs."""
    phone = signed_in(ros)
    ros.set_password("a-new-long-passphrase-9")
    ros.save()
    response = phone.get(reverse("mentor_home"))
    assert response.status_code == 302
    assert "Clear-Site-Data" not in response
