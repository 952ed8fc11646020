"""mentoring.services.applicants, and the hand-over to her mentor record when she accepts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentoring.models import (
    Invitation,
    Mentor,
    MentorReference,
    MentorStage,
    MentorStageChange,
    RecruitmentStatus,
    Role,
    User,
)
from mentoring.services.applicants import (
    NEEDS_EMAIL,
    applicant_change_stage,
    applicant_close,
    applicant_create,
    applicant_invite,
    applicant_reference_add,
    applicant_reopen,
    applicant_update,
)
from mentoring.services.mentors import mentor_change_stage
from mentoring.services.people import _token_hash, invitation_accept

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _accept(invitation: Invitation) -> User:
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=_token_hash("nova-token"))
    return invitation_accept(token="nova-token", password="a-long-new-password-7", display_name="Nova")


# --- the enquiry ---


def test_an_enquiry_starts_her_recruitment_with_a_dated_first_step(nova, carys):
    assert nova.stage == MentorStage.ENQUIRY
    assert nova.status == RecruitmentStatus.OPEN
    (first,) = nova.stage_changes.all()
    assert (first.from_stage, first.to_stage, first.changed_on, first.changed_by) == (
        "",
        MentorStage.ENQUIRY,
        nova.enquired_on,
        carys,
    )
    assert first.mentor is None


def test_only_her_hubs_coordinator_records_an_enquiry(hub, priya, maz):
    for who in (priya, maz):
        with pytest.raises(PermissionDenied):
            applicant_create(hub=hub, name="Nova", acting_user=who)


def test_an_enquiry_cant_be_dated_in_the_future(hub, carys):
    with pytest.raises(ValidationError) as caught:
        applicant_create(hub=hub, name="Nova", acting_user=carys, enquired_on=_today() + timedelta(days=1))
    assert "enquired_on" in caught.value.error_dict


def test_her_email_is_checked_and_kept_in_lower_case(hub, carys):
    applicant = applicant_create(hub=hub, name="Nova", email=" Nova@Example.TEST ", acting_user=carys)
    assert applicant.email == "nova@example.test"
    with pytest.raises(ValidationError) as caught:
        applicant_update(applicant=applicant, email="not an address", acting_user=carys)
    assert "email" in caught.value.error_dict


# --- her stages ---


def test_she_moves_to_application_dated_the_day_it_came(nova, carys):
    received = _today() - timedelta(days=5)
    applicant_change_stage(applicant=nova, to_stage=MentorStage.APPLICATION, on=received, acting_user=carys)
    nova.refresh_from_db()
    assert nova.stage == MentorStage.APPLICATION
    assert nova.application_received_on == received
    latest = nova.stage_changes.order_by("-changed_on").first()
    assert (latest.from_stage, latest.to_stage, latest.changed_on) == (
        MentorStage.ENQUIRY,
        MentorStage.APPLICATION,
        received,
    )


def test_a_step_dated_before_the_one_it_follows_is_refused(nova, carys):
    applicant_change_stage(
        applicant=nova, to_stage=MentorStage.APPLICATION, on=_today() - timedelta(days=3), acting_user=carys
    )
    with pytest.raises(ValidationError) as caught:
        applicant_change_stage(
            applicant=nova, to_stage=MentorStage.REFERENCES, on=_today() - timedelta(days=4), acting_user=carys
        )
    assert "she reached “Application”" in " ".join(caught.value.messages)
    # Before her enquiry is refused too.
    with pytest.raises(ValidationError):
        applicant_change_stage(
            applicant=nova, to_stage=MentorStage.REFERENCES, on=nova.enquired_on - timedelta(days=1), acting_user=carys
        )
    nova.refresh_from_db()
    assert nova.stage == MentorStage.APPLICATION


def test_without_an_account_she_goes_no_further_than_references(nova, carys):
    with pytest.raises(ValidationError) as caught:
        applicant_change_stage(applicant=nova, to_stage=MentorStage.DBS_CHECK, acting_user=carys)
    assert "invite her" in " ".join(caught.value.messages)


def test_another_hubs_coordinator_cant_move_her(nova, priya):
    with pytest.raises(PermissionDenied):
        applicant_change_stage(applicant=nova, to_stage=MentorStage.APPLICATION, acting_user=priya)


# --- closing and reopening ---


def test_withdrawing_keeps_the_reason_and_stops_her_invitation(nova, carys):
    invitation = applicant_invite(applicant=nova, acting_user=carys)
    applicant_close(applicant=nova, status=RecruitmentStatus.WITHDRAWN, reason="Moving away", acting_user=carys)
    nova.refresh_from_db()
    assert (nova.status, nova.closed_reason, nova.closed_on) == (RecruitmentStatus.WITHDRAWN, "Moving away", _today())
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    with pytest.raises(ValidationError):
        applicant_change_stage(applicant=nova, to_stage=MentorStage.APPLICATION, acting_user=carys)


def test_closing_needs_a_reason_and_a_date_in_order(nova, carys):
    with pytest.raises(ValidationError) as caught:
        applicant_close(applicant=nova, status=RecruitmentStatus.NOT_TAKEN_FORWARD, reason=" ", acting_user=carys)
    assert "reason" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        applicant_close(
            applicant=nova,
            status=RecruitmentStatus.NOT_TAKEN_FORWARD,
            reason="Not the right time",
            on=nova.enquired_on - timedelta(days=1),
            acting_user=carys,
        )
    assert "on" in caught.value.error_dict


def test_she_can_be_taken_back_at_the_stage_she_had_reached(nova, carys):
    applicant_change_stage(applicant=nova, to_stage=MentorStage.APPLICATION, acting_user=carys)
    applicant_close(applicant=nova, status=RecruitmentStatus.WITHDRAWN, reason="Not now", acting_user=carys)
    applicant_reopen(applicant=nova, acting_user=carys)
    nova.refresh_from_db()
    assert (nova.status, nova.stage, nova.closed_reason) == (RecruitmentStatus.OPEN, MentorStage.APPLICATION, "")


# --- references ---


def test_a_reference_is_recorded_before_she_has_an_account(nova, carys):
    reference = applicant_reference_add(
        applicant=nova, referee="Sam at the food bank", relationship="volunteer lead", acting_user=carys
    )
    assert (reference.applicant, reference.mentor, reference.outcome) == (nova, None, "requested")


def test_a_reference_cant_be_received_before_her_enquiry(nova, carys):
    with pytest.raises(ValidationError) as caught:
        applicant_reference_add(
            applicant=nova, referee="Sam", received_on=nova.enquired_on - timedelta(days=1), acting_user=carys
        )
    assert "received_on" in caught.value.error_dict


# --- inviting her ---


def test_she_cant_be_invited_without_an_email_address(hub, carys):
    applicant = applicant_create(hub=hub, name="Nova", phone="07700 900123", acting_user=carys)
    with pytest.raises(ValidationError) as caught:
        applicant_invite(applicant=applicant, acting_user=carys)
    assert caught.value.messages == [NEEDS_EMAIL]
    assert not Invitation.objects.exists()


def test_the_invitation_is_for_the_mentor_role_in_her_hub_and_names_nobody(
    nova, carys, hub, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = applicant_invite(applicant=nova, acting_user=carys)
    assert (invitation.email, invitation.hub, invitation.role, invitation.applicant) == (
        "nova@example.test",
        hub,
        Role.MENTOR,
        nova,
    )
    (message,) = mail.outbox
    assert message.to == ["nova@example.test"]
    assert "Nova" not in message.body and hub.name not in message.body
    assert settings.SITE_URL.rstrip("/") + "/invite/" in message.body


def test_accepting_carries_her_recruitment_onto_one_mentor_record(nova, carys, hub):
    applicant_change_stage(
        applicant=nova, to_stage=MentorStage.APPLICATION, on=_today() - timedelta(days=4), acting_user=carys
    )
    applicant_change_stage(applicant=nova, to_stage=MentorStage.REFERENCES, acting_user=carys)
    reference = applicant_reference_add(applicant=nova, referee="Sam", outcome="satisfactory", acting_user=carys)
    invitation = applicant_invite(applicant=nova, acting_user=carys)

    user = _accept(invitation)

    mentor = Mentor.objects.get(user=user)
    assert Mentor.objects.filter(user=user).count() == 1
    assert (mentor.hub, mentor.stage) == (hub, MentorStage.REFERENCES)
    assert list(mentor.references.all()) == [reference]
    assert [c.to_stage for c in mentor.stage_changes.order_by("changed_on", "created_at")] == [
        MentorStage.ENQUIRY,
        MentorStage.APPLICATION,
        MentorStage.REFERENCES,
    ]
    # One row each: moved, not copied.
    assert MentorReference.objects.count() == 1
    assert MentorStageChange.objects.count() == 3
    nova.refresh_from_db()
    assert (nova.status, nova.mentor) == (RecruitmentStatus.JOINED, mentor)
    # Her record carries on from there.
    mentor_change_stage(mentor=mentor, to_stage=MentorStage.DBS_CHECK, acting_user=carys)
    with pytest.raises(ValidationError):
        applicant_change_stage(applicant=nova, to_stage=MentorStage.APPLICATION, acting_user=carys)


def test_an_ordinary_mentor_invitation_starts_a_record_at_enquiry(carys, hub):
    from mentoring.services.people import invitation_create

    invitation = invitation_create(email="kit@example.test", hub=hub, role=Role.MENTOR, invited_by=carys)
    user = _accept(invitation)
    mentor = Mentor.objects.get(user=user)
    assert mentor.stage == MentorStage.ENQUIRY
    assert not mentor.references.exists()


def test_a_fresh_invitation_replaces_the_one_before(nova, carys):
    first = applicant_invite(applicant=nova, acting_user=carys)
    second = applicant_invite(applicant=nova, acting_user=carys)
    first.refresh_from_db()
    assert first.status == Invitation.Status.REVOKED
    assert second.status == Invitation.Status.PENDING


def test_changing_her_email_stops_the_invitation_sent_to_the_old_one(nova, carys):
    invitation = applicant_invite(applicant=nova, acting_user=carys)
    applicant_update(applicant=nova, phone="07700 900999", acting_user=carys)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING  # nothing to do with the address
    applicant_update(applicant=nova, email="nova.new@example.test", acting_user=carys)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
