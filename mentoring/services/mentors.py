"""Writes of mentors' records: profile, stage, DBS check, training, references, and the curriculum."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring.models import (
    DBS_RENEWAL_YEARS,
    AccessLog,
    Mentor,
    MentorApplicant,
    MentorReference,
    MentorStage,
    MentorStageChange,
    NeedArea,
    PairStatus,
    RecruitmentStatus,
    TrainingCompletion,
    TrainingModule,
    User,
)
from mentoring.policies.audit import access_log_record
from mentoring.policies.mentees import revoke_all_mentee_views
from mentoring.policies.people import organisations_administered, require_coordinator

MENTOR_PROFILE_FIELDS = (
    "languages",
    "areas",
    "meeting_modes",
    "availability",
    "capacity",
    "interests",
    "lived_experience_consent",
    "share_lived_experience",
)


@transaction.atomic
def mentor_update_profile(
    *, mentor: Mentor, acting_user: User, lived_experience: Iterable[NeedArea] | None = None, **fields: Any
) -> Mentor:
    require_coordinator(acting_user, mentor.hub_id)
    unknown = set(fields) - set(MENTOR_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not mentor profile fields: {sorted(unknown)}")
    consent_before = mentor.lived_experience_consent
    for name, value in fields.items():
        setattr(mentor, name, value)
    if mentor.lived_experience_consent and not consent_before:
        mentor.lived_experience_consent_on = timezone.localdate()
    elif not mentor.lived_experience_consent:
        mentor.lived_experience_consent_on = None
        mentor.share_lived_experience = False  # nothing to share without her consent to use it
    mentor.full_clean()
    mentor.save()
    if lived_experience is not None:
        mentor.lived_experience.set(list(lived_experience))
    return mentor


@transaction.atomic
def mentor_change_stage(
    *, mentor: Mentor, to_stage: str, acting_user: User, note: str = "", on: date | None = None
) -> Mentor:
    """Move her along recruitment (or pause her, or record that she left), dated, with who did it."""
    require_coordinator(acting_user, mentor.hub_id)
    if to_stage == mentor.stage:
        raise ValidationError({"to_stage": "She is already at that stage."})
    if to_stage != MentorStage.ACTIVE and mentor.pairs.filter(status=PairStatus.ACTIVE).exists():
        # Her right to see each woman follows an active pair: a mentor who is paused or has
        # left must not keep it, so her pairs are paused or ended first (each with its ending).
        raise ValidationError(
            {"to_stage": "She has active pairs: pause or end them first, so she stops seeing those women's records."}
        )
    MentorStageChange.objects.create(
        mentor=mentor,
        from_stage=mentor.stage,
        to_stage=to_stage,
        changed_on=on or timezone.localdate(),
        note=note[:300],
        changed_by=acting_user,
    )
    mentor.stage = to_stage
    mentor.stage_changed_at = timezone.now()
    mentor.full_clean()
    mentor.save(update_fields=["stage", "stage_changed_at"])
    if to_stage == MentorStage.LEFT:
        # A mentor who leaves keeps no right to any woman's record, whatever state her pairs are in.
        for mentee in revoke_all_mentee_views(mentor.user):
            access_log_record(
                user=acting_user, action=AccessLog.Action.REVOKE, obj=mentee, hub=mentee.hub, reason="Mentor left"
            )
    return mentor


@transaction.atomic
def mentor_carry_on_recruitment(*, mentor: Mentor, applicant_id: int) -> Mentor:
    """She accepted the invitation sent from her recruitment: her new record starts where
    recruitment got to, and her stage history and references move onto it (nothing copied, so
    there is one of each). Her recruitment then only says she joined. A recruitment closed after
    the invitation went, or already joined, is left alone (closing it revokes the invitation)."""
    applicant = MentorApplicant.objects.select_for_update().filter(pk=applicant_id).first()
    if applicant is None or applicant.status != RecruitmentStatus.OPEN or applicant.hub_id != mentor.hub_id:
        return mentor
    # Moved, not shared: they are her record's alone now, so nothing done to her recruitment
    # record later can touch them.
    MentorStageChange.objects.filter(applicant=applicant, mentor__isnull=True).update(mentor=mentor, applicant=None)
    MentorReference.objects.filter(applicant=applicant, mentor__isnull=True).update(mentor=mentor, applicant=None)
    mentor.stage = applicant.stage
    mentor.stage_changed_at = applicant.stage_changed_at
    mentor.save(update_fields=["stage", "stage_changed_at"])
    applicant.mentor = mentor
    applicant.status = RecruitmentStatus.JOINED
    applicant.save(update_fields=["mentor", "status"])
    return mentor


@transaction.atomic
def mentor_record_dbs(
    *,
    mentor: Mentor,
    level: str,
    certificate_number: str,
    issued_on: date,
    acting_user: User,
    renewal_due: date | None = None,
) -> Mentor:
    require_coordinator(acting_user, mentor.hub_id)
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": "The issue date can't be in the future."})
    renewal_due = renewal_due or issued_on + relativedelta(years=DBS_RENEWAL_YEARS)
    if renewal_due <= issued_on:
        raise ValidationError({"renewal_due": "Renewal must come after the issue date."})
    mentor.dbs_level = level
    mentor.dbs_certificate_number = certificate_number.strip()
    mentor.dbs_issued_on = issued_on
    mentor.dbs_renewal_due = renewal_due
    mentor.full_clean()
    mentor.save()
    return mentor


@transaction.atomic
def training_record(
    *, mentor: Mentor, module: TrainingModule, acting_user: User, completed_on: date | None = None
) -> TrainingCompletion:
    require_coordinator(acting_user, mentor.hub_id)
    if module.organisation_id != mentor.hub.organisation_id:
        raise ValidationError("That module belongs to another organisation.")
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date can't be in the future."})
    completion, _ = TrainingCompletion.objects.update_or_create(
        mentor=mentor, module=module, defaults={"completed_on": completed_on, "recorded_by": acting_user}
    )
    return completion


@transaction.atomic
def reference_add(
    *,
    mentor: Mentor,
    referee: str,
    acting_user: User,
    relationship: str = "",
    outcome: str = MentorReference.Outcome.REQUESTED,
    received_on: date | None = None,
) -> MentorReference:
    require_coordinator(acting_user, mentor.hub_id)
    reference = MentorReference(
        mentor=mentor,
        referee=referee.strip(),
        relationship=relationship,
        outcome=outcome,
        received_on=received_on,
        recorded_by=acting_user,
    )
    reference.full_clean()
    reference.save()
    return reference


def _require_org_admin(user: User, organisation_id: int) -> None:
    if organisation_id not in organisations_administered(user):
        raise PermissionDenied("Only an org admin can change the curriculum.")


@transaction.atomic
def training_module_add(*, organisation_id: int, name: str, is_core: bool, acting_user: User) -> TrainingModule:
    _require_org_admin(acting_user, organisation_id)
    name = name.strip()
    if TrainingModule.objects.filter(organisation_id=organisation_id, name__iexact=name).exists():
        raise ValidationError({"name": "There is already a module with that name."})
    order = TrainingModule.objects.filter(organisation_id=organisation_id).count() + 1
    module = TrainingModule(organisation_id=organisation_id, name=name, is_core=is_core, order=order * 10)
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def training_module_update(*, module: TrainingModule, acting_user: User, **fields: Any) -> TrainingModule:
    _require_org_admin(acting_user, module.organisation_id)
    for name in ("is_core", "is_active"):
        if name in fields:
            setattr(module, name, fields[name])
    module.full_clean()
    module.save()
    return module
