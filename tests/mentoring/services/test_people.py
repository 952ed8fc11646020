"""mentoring.services.people: deactivating someone ends her sessions; every service checks who acts."""

from datetime import timedelta

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
    CLEAR_DEVICE_KEY,
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
    # Each is now only a mark that clears her browser's copy of the site's data when it comes back.
    assert [s.get_decoded() for s in Session.objects.all()] == [{CLEAR_DEVICE_KEY: True}] * 2
    for device in (phone, laptop):
        assert device.get(reverse("mentor_home")).status_code == 302
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(ros.pk)]


def test_ending_her_sessions_for_a_new_password_marks_nothing(ros, superuser):
    """She can still use Alongside: her phone keeps its unsent logs for when she signs in again."""
    Client().post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
    password_set_by_operations(user=ros, acting_user=superuser)
    assert not Session.objects.exists()


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


# --- sending an invitation again ---


def _sent_invitation(olu, hub, capture, email="new@example.test"):
    with capture(execute=True):
        invitation = invitation_create(email=email, hub=hub, role=Role.MENTOR, invited_by=olu)
    return invitation, mail.outbox[-1].body.split("/invite/")[1].split("/")[0]


def test_sending_again_makes_a_new_link_and_a_fresh_week_and_the_old_link_stops(
    olu, hub, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from mentoring.services.people import invitation_for_token, invitation_resend

    invitation, old_token = _sent_invitation(olu, hub, django_capture_on_commit_callbacks)
    # A week went by and the periodic job marked it expired.
    Invitation.objects.filter(pk=invitation.pk).update(
        status=Invitation.Status.EXPIRED, expires_at=timezone.now() - timedelta(days=1), token_hash=None
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation_resend(invitation=invitation, acting_user=olu)
    assert len(callbacks) == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    new_token = mail.outbox[-1].body.split("/invite/")[1].split("/")[0]
    assert new_token != old_token
    assert invitation_for_token(old_token) is None
    assert invitation_for_token(new_token) == invitation
    # The email says nothing about anyone, as the first did.
    assert "Olu" not in mail.outbox[-1].body and hub.name not in mail.outbox[-1].body


def test_an_invitation_delivered_to_the_task_again_after_its_email_went_is_not_sent_twice(
    olu, hub, django_capture_on_commit_callbacks
):
    """A worker that stopped after sending but before acknowledging leaves the task's message to
    be run again: her link is out, so no second email, and the link she has keeps working."""
    from mentoring.services.people import invitation_for_token, invitation_send

    invitation, token = _sent_invitation(olu, hub, django_capture_on_commit_callbacks)
    assert invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1
    assert invitation_for_token(token) == invitation


def test_a_pending_invitations_old_link_stops_as_soon_as_it_is_sent_again(olu, hub, django_capture_on_commit_callbacks):
    from mentoring.services.people import invitation_for_token, invitation_resend

    invitation, old_token = _sent_invitation(olu, hub, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        invitation_resend(invitation=invitation, acting_user=olu)  # the email has not gone yet
    assert invitation_for_token(old_token) is None
    with pytest.raises(ValidationError):
        invitation_accept(token=old_token, password="a-long-pass-phrase-1")


def test_the_task_is_given_the_invitations_id_only(olu, hub, django_capture_on_commit_callbacks):
    from celery.signals import task_prerun

    from mentoring.services.people import SEND_INVITATION_TASK, invitation_resend

    invitation, _ = _sent_invitation(olu, hub, django_capture_on_commit_callbacks)
    ran = []

    def note(sender, task_id, task, args, kwargs, **_):
        ran.append((task.name, tuple(args), dict(kwargs)))

    task_prerun.connect(note, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            invitation_resend(invitation=invitation, acting_user=olu)
    finally:
        task_prerun.disconnect(note)
    assert ran == [(SEND_INVITATION_TASK, (invitation.pk,), {})]


def test_an_accepted_or_withdrawn_invitation_is_not_sent_again(olu, hub, django_capture_on_commit_callbacks):
    from mentoring.services.people import invitation_resend

    withdrawn, _ = _sent_invitation(olu, hub, django_capture_on_commit_callbacks)
    invitation_revoke(invitation=withdrawn, acting_user=olu)
    accepted, token = _sent_invitation(olu, hub, django_capture_on_commit_callbacks, email="other@example.test")
    invitation_accept(token=token, password="a-long-pass-phrase-1")
    for invitation in (withdrawn, accepted):
        with pytest.raises(ValidationError, match="accepted or withdrawn"):
            invitation_resend(invitation=invitation, acting_user=olu)


def test_an_invitation_whose_address_has_an_account_now_is_not_sent_again(
    olu, ros, hub, django_capture_on_commit_callbacks
):
    from mentoring.services.people import invitation_resend

    invitation, _ = _sent_invitation(olu, hub, django_capture_on_commit_callbacks)
    EmailAddress.objects.create(user=ros, email=invitation.email, verified=False)
    with pytest.raises(ValidationError, match="has an account now"):
        invitation_resend(invitation=invitation, acting_user=olu)


def test_only_someone_who_may_invite_that_role_there_sends_it_again(
    olu, carys, priya, hub, django_capture_on_commit_callbacks
):
    from mentoring.services.people import invitation_resend

    with django_capture_on_commit_callbacks(execute=True):
        staff = invitation_create(email="staff@example.test", hub=hub, role=Role.COORDINATOR, invited_by=olu)
    for who in (carys, priya):  # a coordinator invites mentors only; priya works in another hub
        with pytest.raises(PermissionDenied):
            invitation_resend(invitation=staff, acting_user=who)


# --- taking a role away ---


def test_taking_away_her_only_role_ends_every_session_and_keeps_her_account_and_history(
    ros, olu, hub, django_capture_on_commit_callbacks
):
    import pghistory.models

    from mentoring.models import Mentor
    from mentoring.services.people import membership_remove

    phone = Client()
    phone.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
    assert phone.get(reverse("mentor_home")).status_code == 200
    membership = Membership.objects.get(user=ros)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(membership=membership, acting_user=olu)
    assert not Membership.objects.filter(user=ros).exists()
    assert phone.get(reverse("mentor_home")).status_code == 302  # signed out
    ros.refresh_from_db()
    assert ros.is_active  # her account stays: she may be given a role again
    assert Mentor.objects.filter(user=ros).exists()  # and her mentor record, with its history
    deleted = pghistory.models.Events.objects.filter(pgh_label="delete", pgh_obj_model="mentoring.Membership")
    assert [event.pgh_data["user_id"] for event in deleted] == [ros.pk]


def test_taking_away_one_of_her_roles_leaves_her_signed_in_with_the_others(
    carys, olu, hub, other_hub, django_capture_on_commit_callbacks
):
    from mentoring.services.people import membership_remove

    membership_add(user=olu, hub=other_hub, role=Role.ORG_ADMIN)
    membership_add(user=carys, hub=other_hub, role=Role.COORDINATOR)
    laptop = Client()
    laptop.force_login(carys)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        membership_remove(membership=Membership.objects.get(user=carys, hub=other_hub), acting_user=olu)
    assert callbacks == []
    assert laptop.get(reverse("coordinator_home")).status_code == 200
    assert list(Membership.objects.filter(user=carys).values_list("hub_id", flat=True)) == [hub.pk]


def test_a_role_is_taken_away_only_by_an_org_admin_of_its_hub_and_never_from_herself(
    olu, carys, ros, priya, hub, other_hub
):
    from mentoring.services.people import membership_remove

    membership_add(user=olu, hub=hub, role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied, match="her own roles"):
        membership_remove(membership=Membership.objects.get(user=olu, role=Role.COORDINATOR), acting_user=olu)
    with pytest.raises(PermissionDenied):
        membership_remove(membership=Membership.objects.get(user=ros), acting_user=carys)  # a coordinator
    with pytest.raises(PermissionDenied):
        membership_remove(membership=Membership.objects.get(user=priya), acting_user=olu)  # not her hub
    assert Membership.objects.filter(user__in=[olu, ros, priya]).count() == 4


def test_an_active_mentor_keeps_the_role_until_her_coordinator_pauses_her_or_records_she_left(
    dee, olu, carys, dee_pair
):
    from mentoring.models import MentorStage
    from mentoring.services.mentors import mentor_change_stage
    from mentoring.services.pairs import pair_end
    from mentoring.services.people import membership_remove

    # In an active pair she sees a woman's record; active on her record she could be matched.
    with pytest.raises(ValidationError, match="active mentor on her mentor record"):
        membership_remove(membership=Membership.objects.get(user=dee), acting_user=olu)
    pair_end(pair=dee_pair, end_reason="goals_met", acting_user=carys)
    with pytest.raises(ValidationError, match="active mentor on her mentor record"):
        membership_remove(membership=Membership.objects.get(user=dee), acting_user=olu)
    assert Membership.objects.filter(user=dee, role=Role.MENTOR).exists()
    mentor_change_stage(mentor=dee.mentor_record, to_stage=MentorStage.LEFT, acting_user=carys)
    membership_remove(membership=Membership.objects.get(user=dee), acting_user=olu)
    assert not Membership.objects.filter(user=dee).exists()


def test_the_organisations_last_org_admin_is_never_left_out(olu, hub, other_hub, organisation):
    from mentoring.policies.people import is_last_org_admin
    from tests.conftest import make_person

    assert is_last_org_admin(olu, organisation.pk)
    kit = make_person("kit@example.test", "Kit", other_hub, Role.ORG_ADMIN)
    assert not is_last_org_admin(olu, organisation.pk) and not is_last_org_admin(kit, organisation.pk)
    type(kit).objects.filter(pk=kit.pk).update(is_active=False)
    assert is_last_org_admin(olu, organisation.pk)  # a deactivated admin can't sign in to manage anyone


def test_taking_away_an_org_admins_role_leaves_the_one_who_did_it(olu, hub, django_capture_on_commit_callbacks):
    from mentoring.services.people import membership_remove
    from tests.conftest import make_person

    kit = make_person("kit@example.test", "Kit", hub, Role.ORG_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(membership=Membership.objects.get(user=kit), acting_user=olu)
    assert list(Membership.objects.filter(role=Role.ORG_ADMIN).values_list("user_id", flat=True)) == [olu.pk]


# --- hubs ---


def test_a_new_hubs_key_is_made_from_its_name_and_is_unique(olu, hub, organisation):
    from mentoring.services.people import hub_create
    from tests.factories import HubFactory, OrganisationFactory

    other = OrganisationFactory.create(name="Elsewhere", slug="elsewhere")
    HubFactory.create(organisation=other, name="Coastal Towns", slug="coastal-towns")
    made = hub_create(organisation_id=organisation.pk, name="  Coastal Towns ", acting_user=olu)
    assert (made.name, made.slug) == ("Coastal Towns", "coastal-towns-2")
    assert hub_create(organisation_id=organisation.pk, name="Ōtautahi & Co!", acting_user=olu).slug == "otautahi-co"
    assert hub_create(organisation_id=organisation.pk, name="!!!", acting_user=olu).slug == "hub"


def test_a_hub_is_added_only_to_an_organisation_she_administers(olu, carys, organisation):
    from mentoring.services.people import hub_create
    from tests.factories import OrganisationFactory

    other = OrganisationFactory.create(name="Elsewhere", slug="elsewhere")
    with pytest.raises(PermissionDenied):
        hub_create(organisation_id=other.pk, name="Ours now", acting_user=olu)
    with pytest.raises(PermissionDenied):
        hub_create(organisation_id=organisation.pk, name="Ours now", acting_user=carys)  # a coordinator


def test_two_organisations_may_each_have_a_hub_of_one_name_but_one_may_not_have_two(olu, hub, organisation):
    from django.db import IntegrityError, transaction

    from mentoring.models import Hub
    from mentoring.services.people import hub_create
    from tests.factories import OrganisationFactory

    with pytest.raises(ValidationError, match="already has a hub called SALTMARSH BAY"):
        hub_create(organisation_id=organisation.pk, name="SALTMARSH BAY", acting_user=olu)
    # The database holds the rule too, for anything that writes around the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Hub.objects.create(organisation=organisation, name="saltmarsh BAY", slug="another-key")
    other = OrganisationFactory.create(name="Elsewhere", slug="elsewhere")
    Hub.objects.create(organisation=other, name="Saltmarsh Bay", slug="elsewhere-saltmarsh")


def test_a_hubs_creation_and_renaming_are_kept_in_its_history_with_who_did_it(client, olu, hub):
    from django.apps import apps

    from mentoring.models import Hub

    client.force_login(olu)
    data = {"name": "Coastal Towns", "area_description": "", "review_interval_weeks": "12"}
    client.post(reverse("hub_create"), data)
    made = Hub.objects.get(name="Coastal Towns")
    data["name"] = "Coast and Country"
    assert client.post(reverse("hub_settings", args=[made.pk]), data).status_code == 302
    history = apps.get_model("mentoring", "HubEvent").objects.filter(pgh_obj_id=made.pk).order_by("pgh_id")
    events = list(history.values_list("pgh_label", "name", "pgh_context__metadata"))
    assert [(label, name) for label, name, _ in events] == [
        ("insert", "Coastal Towns"),
        ("update", "Coast and Country"),
    ]
    assert all(str(context["user"]) == str(olu.pk) for _, _, context in events)
