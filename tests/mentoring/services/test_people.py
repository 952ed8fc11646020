"""mentoring.services.people: deactivating someone ends her sessions; every service checks who acts."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from mentoring.models import Invitation, Membership, Role
from mentoring.services.people import (
    _token_hash,
    email_set_by_operations,
    failed_sign_in_noted,
    first_org_admin_create,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_add,
    membership_grant,
    mfa_reset,
    password_set_by_operations,
    user_change_email,
    user_deactivate,
    user_reactivate,
)
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


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


def test_the_invitation_link_carries_the_configured_site_address(
    olu, hub, settings, django_capture_on_commit_callbacks
):
    """The worker that sends it has no request: the link comes from SITE_URL, not the demo's address."""
    settings.SITE_URL = "https://alongside.example.org/"
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(email="new@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    [message] = mail.outbox
    [link] = [line for line in message.body.splitlines() if "://" in line]
    assert link.startswith("https://alongside.example.org/") and "//" not in link.removeprefix("https://")
    assert "127.0.0.1" not in message.body
    assert Client().get(link.removeprefix("https://alongside.example.org")).status_code == 200


# --- who may act ---


def test_people_services_refuse_an_actor_who_may_not(carys, olu, ros, hub, other_hub, superuser):
    invitation = invitation_create(email="new@example.test", hub=hub, role=Role.COORDINATOR, invited_by=olu)
    with pytest.raises(PermissionDenied):
        invitation_revoke(invitation=invitation, acting_user=carys)  # a coordinator invites mentors only
    for service in (user_deactivate, user_reactivate):
        with pytest.raises(PermissionDenied):
            service(user=ros, acting_user=carys)
        with pytest.raises(PermissionDenied):
            service(user=olu, acting_user=olu)  # nobody locks herself out
    with pytest.raises(PermissionDenied):
        membership_grant(person=olu, hub=hub, role=Role.COORDINATOR, acting_user=olu)
    with pytest.raises(PermissionDenied):
        membership_grant(person=ros, hub=other_hub, role=Role.COORDINATOR, acting_user=olu)  # not her hub
    with pytest.raises(PermissionDenied):
        password_set_by_operations(user=ros, acting_user=olu)  # the admin's, for operations only
    ros.refresh_from_db()
    assert ros.is_active
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
    assert not Membership.objects.filter(user=olu, role=Role.COORDINATOR).exists()


def test_an_operations_account_cannot_hold_a_role(superuser, hub):
    with pytest.raises(ValidationError):
        membership_add(user=superuser, hub=hub, role=Role.COORDINATOR)
    assert not Membership.objects.filter(user=superuser).exists()


def test_she_is_told_once_after_five_failed_sign_ins(ros):
    cache.clear()
    told = [failed_sign_in_noted(email=ros.email) for _ in range(7)]
    assert told == [False, False, False, False, True, False, False]
    assert [message.to for message in mail.outbox] == [[ros.email]]
    assert "Ros" not in mail.outbox[0].body and ros.email not in mail.outbox[0].body
    assert failed_sign_in_noted(email="nobody@example.test") is False


def test_the_first_org_admin_is_made_once_per_organisation(organisation, hub, other_hub):
    admin = first_org_admin_create(
        email="First@Example.test",
        password="a-long-pass-phrase-9",
        display_name="Fi",
        organisation_slug=organisation.slug,
    )
    assert set(Membership.objects.filter(user=admin).values_list("hub_id", "role")) == {
        (hub.pk, Role.ORG_ADMIN),
        (other_hub.pk, Role.ORG_ADMIN),
    }
    assert EmailAddress.objects.filter(user=admin, verified=True).exists()
    with pytest.raises(ValidationError):
        first_org_admin_create(
            email="second@example.test", password="x" * 20, display_name="", organisation_slug=organisation.slug
        )


def test_an_mfa_reset_removes_her_authenticators_and_tells_her(carys, django_capture_on_commit_callbacks):
    assert Authenticator.objects.filter(user=carys).exists()
    with django_capture_on_commit_callbacks(execute=True):
        mfa_reset(user=carys, acting_user_label="a test")
    assert not Authenticator.objects.filter(user=carys).exists()
    assert mail.outbox[-1].to == [carys.email]


# --- email addresses ---


def test_an_invitation_to_an_address_another_account_has_added_is_refused(olu, ros, hub):
    EmailAddress.objects.create(user=ros, email="ros.new@example.test", verified=False)
    with pytest.raises(ValidationError, match="already has an account"):
        invitation_create(email="Ros.New@example.test", hub=hub, role=Role.COORDINATOR, invited_by=olu)


def test_an_invitation_cannot_be_accepted_once_its_address_is_another_accounts(olu, ros, hub):
    invitation = invitation_create(email="later@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=_token_hash("t"))
    EmailAddress.objects.create(user=ros, email="later@example.test", verified=False)  # from before the rule
    with pytest.raises(ValidationError, match="already has an account"):
        invitation_accept(token="t", password="a-long-new-password-7")


def test_only_an_org_admin_of_her_hubs_changes_her_address(carys, olu, ros, priya):
    for actor, person in ((carys, ros), (priya, ros), (olu, olu)):
        with pytest.raises(PermissionDenied):
            user_change_email(person=person, email="new@example.test", acting_user=actor)
    with pytest.raises(PermissionDenied):
        email_set_by_operations(user=ros, email="new@example.test", acting_user=olu)


def test_a_changed_address_must_be_free(olu, ros, carys, hub):
    invitation_create(email="invitee@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    for taken in ("Carys@example.test", "invitee@example.test", "ros@example.test"):
        with pytest.raises(ValidationError):
            user_change_email(person=ros, email=taken, acting_user=olu)
    ros.refresh_from_db()
    assert ros.email == "ros@example.test"


def test_an_address_changed_by_operations_is_logged_and_the_old_address_told(
    ros, superuser, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email_set_by_operations(user=ros, email="ros.work@example.test", acting_user=superuser)
    ros.refresh_from_db()
    assert ros.email == "ros.work@example.test"
    assert EmailAddress.objects.get(user=ros).email == "ros.work@example.test"
    assert f"email address of user {ros.pk} changed by operations user {superuser.pk}" in caplog.text
    assert [message.to for message in mail.outbox] == [["ros@example.test"]]
    assert "operations team" in mail.outbox[0].body


def test_the_first_org_admin_cannot_take_an_address_another_account_has_added(organisation, hub, ros):
    EmailAddress.objects.create(user=ros, email="ros.new@example.test", verified=False)
    with pytest.raises(ValidationError, match="belongs to another account"):
        first_org_admin_create(
            email="ROS.NEW@example.test",
            password="a-long-pass-phrase-9",
            display_name="",
            organisation_slug=organisation.slug,
        )
