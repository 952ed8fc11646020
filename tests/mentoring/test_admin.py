"""mentoring.admin: operations run the system; they give no roles, read no secrets, and changing a
person's password or address is never silent."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from mentoring.admin import MembershipInline
from mentoring.models import Membership, Role, User
from mentoring.services.people import invitation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops_client(client, superuser):
    client.force_login(superuser)
    return client


def test_operations_cannot_give_anyone_a_role_from_the_admin(ops_client, superuser, ros, hub):
    inline = MembershipInline(Membership, admin.site)
    request = RequestFactory().get("/")
    request.user = superuser
    assert not inline.has_add_permission(request)
    assert not inline.has_change_permission(request)
    assert not inline.has_delete_permission(request)
    page = ops_client.get(reverse("admin:mentoring_user_change", args=[superuser.pk])).content.decode()
    assert 'name="memberships-TOTAL_FORMS" value="0"' in page or "memberships-TOTAL_FORMS" not in page
    assert not Membership.objects.filter(user=superuser).exists()
    assert Membership.objects.filter(user=ros, role=Role.MENTOR).exists()


def test_a_password_set_from_the_admin_is_logged_and_she_is_told(ops_client, ros, caplog):
    url = reverse("admin:auth_user_password_change", args=[ros.pk])
    response = ops_client.post(url, {"password1": "a-new-long-phrase-42", "password2": "a-new-long-phrase-42"})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[ros.email]]
    assert "Ros" not in mail.outbox[0].body
    assert f"password of user {ros.pk} set from the admin" in caplog.text


def test_the_sign_in_sessions_admin_search_answers(ops_client):
    assert ops_client.get(reverse("admin:usersessions_usersession_changelist"), {"q": "ab"}).status_code == 200


def _change(ops_client, person, **fields):
    data = {"email": person.email, "display_name": person.display_name, "is_active": "on", **fields}
    data.update({"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000"})
    return ops_client.post(reverse("admin:mentoring_user_change", args=[person.pk]), data)


def test_an_address_changed_in_the_admin_is_logged_and_the_old_address_told(
    ops_client, ros, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(ops_client, ros, email="ros.work@example.test")
    assert response.status_code == 302
    ros.refresh_from_db()
    assert ros.email == "ros.work@example.test"
    assert list(EmailAddress.objects.filter(user=ros).values_list("email", "verified")) == [
        ("ros.work@example.test", True)
    ]
    assert f"email address of user {ros.pk} changed by operations user" in caplog.text
    assert [message.to for message in mail.outbox] == [["ros@example.test"]]


def test_the_admin_refuses_another_accounts_or_an_invitees_address(ops_client, ros, carys, olu, hub):
    invitation_create(email="invitee@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    for taken in ("CARYS@example.test", "invitee@example.test"):
        response = _change(ops_client, ros, email=taken)
        assert response.status_code == 200
        assert "belongs to another account" in response.content.decode()
    ros.refresh_from_db()
    assert ros.email == "ros@example.test"
    add = ops_client.post(
        reverse("admin:mentoring_user_add"),
        {"email": "invitee@example.test", "password1": "a-long-pass-phrase-3", "password2": "a-long-pass-phrase-3"},
    )
    assert add.status_code == 200
    assert not User.objects.filter(email="invitee@example.test").exists()


def test_addresses_are_not_edited_in_the_admin_behind_the_service(ops_client):
    assert not admin.site.is_registered(EmailAddress)
