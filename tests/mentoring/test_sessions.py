"""Sessions: login rotates the key, idle and absolute timeouts, deactivation ends every session."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from mentoring.services.people import user_deactivate
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def age_session(client: Client, *, seen_ago: float = 0, started_ago: float = 0) -> None:
    session = client.session
    session["alongside_seen"] = time.time() - seen_ago
    session["alongside_started"] = time.time() - started_ago
    session.save()


def test_login_rotates_the_session_key(client, ros):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    response = client.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get(reverse("mentor_home")).status_code == 200


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


def test_deactivated_user_loses_every_session(ros, olu, django_capture_on_commit_callbacks):
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
        assert device.get(reverse("mentor_home")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        user_deactivate(user=ros, acting_user=olu)
    for device in (phone, laptop):
        assert device.get(reverse("mentor_home")).status_code == 302
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(ros.pk)]


def test_org_admin_deactivates_through_the_page_but_not_herself(client, olu, ros, django_capture_on_commit_callbacks):
    client.force_login(olu)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("person_deactivate", args=[ros.pk])).status_code == 302
    ros.refresh_from_db()
    assert not ros.is_active
    assert client.post(reverse("person_deactivate", args=[olu.pk])).status_code == 404
    assert client.post(reverse("person_reactivate", args=[ros.pk])).status_code == 302
    ros.refresh_from_db()
    assert ros.is_active


def test_org_admin_cannot_touch_people_outside_her_hubs(client, olu, priya):
    client.force_login(olu)
    assert client.post(reverse("person_deactivate", args=[priya.pk])).status_code == 404
    priya.refresh_from_db()
    assert priya.is_active


def test_she_sees_and_ends_her_own_sessions(ros):
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert page.content.decode().count("<tr") >= 3  # a header row and two sessions
    # End the other sessions (allauth's form): the phone is signed out, the laptop is not.
    laptop.post(reverse("usersessions_list"), {"action": "logout"})
    assert phone.get(reverse("mentor_home")).status_code == 302
    assert laptop.get(reverse("mentor_home")).status_code == 200
