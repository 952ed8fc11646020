"""Writes of mentor recruitment before an account: the enquiry, her stage, references, closing
her recruitment, and the invitation that turns her into a mentor with an account."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from mentoring.models import (
    CLOSED_RECRUITMENT,
    RECRUITMENT_STAGES,
    Hub,
    Invitation,
    MentorApplicant,
    MentorReference,
    MentorStage,
    MentorStageChange,
    RecruitmentStatus,
    Role,
    User,
)
from mentoring.policies.people import require_coordinator
from mentoring.services.mentees import status_moment
from mentoring.services.people import invitation_create

APPLICANT_FIELDS = ("name", "phone", "email", "safe_ways", "source", "source_detail", "note")

NEEDS_EMAIL = "Add her email address before inviting her: the invitation goes to it."


def _day(on: date) -> str:
    return f"{on:%-d %b %Y}"


def _clean_email(value: str) -> str:
    email = value.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": "Enter an email address like name@example.org."}) from None
    return email


def _require_open(applicant: MentorApplicant) -> None:
    if applicant.status == RecruitmentStatus.JOINED:
        raise ValidationError("She has joined: her mentor record carries on from here.")
    if applicant.status != RecruitmentStatus.OPEN:
        raise ValidationError("Her recruitment is closed: nothing more can be added to it.")


def _last_change(applicant: MentorApplicant) -> MentorStageChange | None:
    return applicant.stage_changes.order_by("-changed_on", "-created_at", "-pk").first()


def _check_date(applicant: MentorApplicant, on: date, what: str) -> None:
    """Her history is read in order: a step dated before the one it follows is refused."""
    if on > timezone.localdate():
        raise ValidationError({"on": "This date can't be in the future."})
    last = _last_change(applicant)
    if last is not None and on < last.changed_on:
        raise ValidationError(
            {
                "on": f"“{what}” can't be dated {_day(on)}: she reached “{MentorStage(last.to_stage).label}” "
                f"on {_day(last.changed_on)}, after that."
            }
        )


@transaction.atomic
def applicant_create(
    *, hub: Hub, name: str, acting_user: User, enquired_on: date | None = None, **fields: Any
) -> MentorApplicant:
    """Record her enquiry: a woman with no account who would like to be a mentor."""
    require_coordinator(acting_user, hub)
    unknown = set(fields) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValueError(f"Not applicant fields: {sorted(unknown)}")
    enquired_on = enquired_on or timezone.localdate()
    if enquired_on > timezone.localdate():
        raise ValidationError({"enquired_on": "The enquiry date can't be in the future."})
    fields["email"] = _clean_email(fields.get("email", ""))
    applicant = MentorApplicant(
        hub=hub,
        name=name.strip(),
        enquired_on=enquired_on,
        stage=MentorStage.ENQUIRY,
        stage_changed_at=status_moment(enquired_on),
        created_by=acting_user,
        **fields,
    )
    applicant.full_clean()
    applicant.save()
    MentorStageChange.objects.create(
        applicant=applicant,
        from_stage="",
        to_stage=MentorStage.ENQUIRY,
        changed_on=enquired_on,
        note="Enquiry recorded",
        changed_by=acting_user,
    )
    return applicant


@transaction.atomic
def applicant_update(*, applicant: MentorApplicant, acting_user: User, **fields: Any) -> MentorApplicant:
    """Her details: her name, how to reach her (an email added so she can be invited), the note."""
    require_coordinator(acting_user, applicant.hub_id)
    unknown = set(fields) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValueError(f"Not applicant fields: {sorted(unknown)}")
    if applicant.status == RecruitmentStatus.JOINED:
        raise ValidationError("She has joined: her details are on her account and mentor record now.")
    email_before = applicant.email
    if "email" in fields:
        fields["email"] = _clean_email(fields["email"])
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    for field_name, value in fields.items():
        setattr(applicant, field_name, value)
    applicant.full_clean()
    applicant.save()
    if applicant.email != email_before:
        # The address it went to isn't hers (or isn't wanted) any more: that link stops working.
        _revoke_pending_invitations(applicant)
    return applicant


def _revoke_pending_invitations(applicant: MentorApplicant) -> None:
    Invitation.objects.filter(applicant=applicant, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.REVOKED, token_hash=None
    )


@transaction.atomic
def applicant_change_stage(
    *, applicant: MentorApplicant, to_stage: str, acting_user: User, note: str = "", on: date | None = None
) -> MentorApplicant:
    """Move her along recruitment (enquiry, application, references), dated, with who did it.
    Moving her to "Application" dates her application as received that day."""
    require_coordinator(acting_user, applicant.hub_id)
    _require_open(applicant)
    if to_stage not in RECRUITMENT_STAGES:
        raise ValidationError({"to_stage": "Before she has an account she can reach references at most: invite her."})
    if to_stage == applicant.stage:
        raise ValidationError({"to_stage": "She is already at that stage."})
    on = on or timezone.localdate()
    _check_date(applicant, on, MentorStage(to_stage).label)
    MentorStageChange.objects.create(
        applicant=applicant,
        from_stage=applicant.stage,
        to_stage=to_stage,
        changed_on=on,
        note=note[:300],
        changed_by=acting_user,
    )
    applicant.stage = to_stage
    applicant.stage_changed_at = status_moment(on)
    if to_stage == MentorStage.APPLICATION:
        applicant.application_received_on = on
    applicant.save(update_fields=["stage", "stage_changed_at", "application_received_on"])
    return applicant


@transaction.atomic
def applicant_close(
    *, applicant: MentorApplicant, status: str, reason: str, acting_user: User, on: date | None = None
) -> MentorApplicant:
    """She withdrew, or she isn't taken forward: the reason is kept, and an invitation she hasn't
    used yet stops working."""
    require_coordinator(acting_user, applicant.hub_id)
    _require_open(applicant)
    if status not in CLOSED_RECRUITMENT:
        raise ValidationError({"status": "Choose whether she withdrew or isn't taken forward."})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why, so whoever reads her record later knows."})
    on = on or timezone.localdate()
    _check_date(applicant, on, RecruitmentStatus(status).label)
    applicant.status = status
    applicant.closed_on = on
    applicant.closed_reason = reason
    applicant.full_clean()
    applicant.save(update_fields=["status", "closed_on", "closed_reason"])
    _revoke_pending_invitations(applicant)
    return applicant


@transaction.atomic
def applicant_reopen(*, applicant: MentorApplicant, acting_user: User) -> MentorApplicant:
    """She came back (or the decision was a mistake): her recruitment carries on where it stopped."""
    require_coordinator(acting_user, applicant.hub_id)
    if applicant.status not in CLOSED_RECRUITMENT:
        raise ValidationError("Her recruitment isn't closed.")
    applicant.status = RecruitmentStatus.OPEN
    applicant.closed_on = None
    applicant.closed_reason = ""
    applicant.save(update_fields=["status", "closed_on", "closed_reason"])
    return applicant


@transaction.atomic
def applicant_reference_add(
    *,
    applicant: MentorApplicant,
    referee: str,
    acting_user: User,
    relationship: str = "",
    outcome: str = MentorReference.Outcome.REQUESTED,
    received_on: date | None = None,
) -> MentorReference:
    """A reference asked for or received before she has an account: a mentor's reference, kept on
    her recruitment until she joins."""
    require_coordinator(acting_user, applicant.hub_id)
    _require_open(applicant)
    if received_on is not None and received_on < applicant.enquired_on:
        raise ValidationError(
            {"received_on": f"It can't be received before her enquiry ({_day(applicant.enquired_on)})."}
        )
    reference = MentorReference(
        applicant=applicant,
        referee=referee.strip(),
        relationship=relationship,
        outcome=outcome,
        received_on=received_on,
        recorded_by=acting_user,
    )
    reference.full_clean()
    reference.save()
    return reference


@transaction.atomic
def applicant_invite(*, applicant: MentorApplicant, acting_user: User) -> Invitation:
    """Invite her to her hub as a mentor. When she accepts, her mentor record carries on from here."""
    require_coordinator(acting_user, applicant.hub_id)
    _require_open(applicant)
    if not applicant.email:
        raise ValidationError(NEEDS_EMAIL)
    return invitation_create(
        email=applicant.email, hub=applicant.hub, role=Role.MENTOR, invited_by=acting_user, applicant=applicant
    )
