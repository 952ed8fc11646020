"""mentoring.admin: operations run the system; they give no roles, read no secrets, and changing a
person's password is never silent."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from mentoring.admin import MembershipInline
from mentoring.models import Membership, Role

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
