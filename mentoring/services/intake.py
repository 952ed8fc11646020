"""Intake: referral, her record, consents, the holistic needs assessment, goals and reviews."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring import policies
from mentoring.models import (
    OPEN_PAIR_STATUSES,
    STATUS_TRANSITIONS,
    AffectsNow,
    Assessment,
    Consent,
    ConsentKind,
    Goal,
    GoalUpdate,
    Hub,
    Mentee,
    MenteeStatus,
    MenteeStatusChange,
    NeedArea,
    NeedRating,
    Referral,
    StashedSubmission,
    User,
)

CLOSED_STATUSES = (MenteeStatus.ENDED, MenteeStatus.WITHDRAWN, MenteeStatus.DECLINED)


def _require_coordinator(user: User, hub: Hub | int) -> None:
    hub_id = hub if isinstance(hub, int) else hub.pk
    if not policies.can_do_intake(user, hub_id):
        raise PermissionDenied("Only a coordinator of this hub can do that.")


def _set_status(
    mentee: Mentee, to_status: str, *, reason: str, acting_user: User | None, on: date | None = None
) -> None:
    MenteeStatusChange.objects.create(
        mentee=mentee,
        from_status=mentee.status,
        to_status=to_status,
        reason=reason[:300],
        changed_by=acting_user,
        changed_on=on or timezone.localdate(),
    )
    mentee.status = to_status
    mentee.status_changed_at = timezone.now()
    mentee.save(update_fields=["status", "status_changed_at"])


# --- her record ---


@transaction.atomic
def mentee_create(*, hub: Hub, chosen_name: str, acting_user: User, **fields: Any) -> Mentee:
    _require_coordinator(acting_user, hub)
    mentee = Mentee(hub=hub, chosen_name=chosen_name.strip(), created_by=acting_user, **fields)
    mentee.full_clean()
    mentee.save()
    MenteeStatusChange.objects.create(
        mentee=mentee, from_status="", to_status=mentee.status, reason="Record opened", changed_by=acting_user
    )
    return mentee


PROFILE_FIELDS = (
    "chosen_name",
    "legal_name",
    "date_of_birth",
    "age_band",
    "contact_details",
    "safe_channels",
    "safe_times",
    "voicemail_safe",
    "letters_safe",
    "code_word",
    "languages",
    "interpreter_needed",
    "access_needs",
    "children",
)


@transaction.atomic
def mentee_update_profile(*, mentee: Mentee, acting_user: User, **fields: Any) -> Mentee:
    _require_coordinator(acting_user, mentee.hub_id)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(mentee, name, value)
    mentee.full_clean()
    mentee.save()
    return mentee


@transaction.atomic
def mentee_change_status(
    *, mentee: Mentee, to_status: str, reason: str, acting_user: User, on: date | None = None
) -> Mentee:
    _require_coordinator(acting_user, mentee.hub_id)
    if to_status not in STATUS_TRANSITIONS.get(mentee.status, ()):
        raise ValidationError({"to_status": f"She can't move from “{mentee.get_status_display()}” to that status."})
    if to_status in (MenteeStatus.WITHDRAWN, MenteeStatus.DECLINED) and not reason.strip():
        raise ValidationError({"reason": "Say why, in a few words."})
    if mentee.pairs.filter(status__in=OPEN_PAIR_STATUSES).exists():
        # Her mentor's right to see her follows the pair: end the pair first, so it is revoked.
        raise ValidationError("She has a proposed or running pair: end it (or mark it as not going ahead) first.")
    _set_status(mentee, to_status, reason=reason, acting_user=acting_user, on=on)
    return mentee


@transaction.atomic
def referral_create(
    *,
    hub: Hub,
    acting_user: User,
    chosen_name: str = "",
    mentee: Mentee | None = None,
    **fields: Any,
) -> Referral:
    """A new referral: opens her record, or re-opens it (a re-referral keeps all her history)."""
    _require_coordinator(acting_user, hub)
    if mentee is None:
        if not chosen_name.strip():
            raise ValidationError({"chosen_name": "What would she like to be called?"})
        mentee = mentee_create(hub=hub, chosen_name=chosen_name, acting_user=acting_user)
    else:
        mentee = Mentee.objects.select_for_update().get(pk=mentee.pk)
        if mentee.hub_id != hub.pk:
            raise ValidationError("A re-referral is made in her own hub.")
        if mentee.status not in CLOSED_STATUSES:
            raise ValidationError("She is already with us: no new referral is needed.")
        _set_status(mentee, MenteeStatus.REFERRED, reason="Re-referred", acting_user=acting_user)
    referral = Referral(mentee=mentee, hub=hub, created_by=acting_user, **fields)
    referral.full_clean()
    referral.save()
    return referral


# --- consents ---


@transaction.atomic
def consent_record(
    *,
    mentee: Mentee,
    kind: str,
    given: bool,
    method: str,
    acting_user: User,
    what_she_was_told: str = "",
    decided_on: date | None = None,
) -> Consent:
    """Giving and withdrawing are the same act: a new record. It takes effect at once everywhere,
    because every read asks for the latest record of its kind."""
    _require_coordinator(acting_user, mentee.hub_id)
    consent = Consent(
        mentee=mentee,
        kind=kind,
        given=given,
        method=method,
        what_she_was_told=what_she_was_told,
        decided_on=decided_on or timezone.localdate(),
        recorded_by=acting_user,
    )
    consent.full_clean()
    consent.save()
    return consent


def consent_in_force(mentee: Mentee, kind: str) -> bool:
    latest = Consent.objects.filter(mentee=mentee, kind=kind).order_by("-recorded_at", "-pk").first()
    return bool(latest and latest.given)


# --- assessments ---

ASSESSMENT_FIELDS = (
    "assessed_on",
    "strengths",
    "interests",
    "mentor_language",
    "meeting_modes",
    "availability",
    "days_and_times",
    "reachable_area",
)
NEED_FIELDS = ("affects_now", "her_words", "priority", "self_rating", "other_services", "share_with_mentor")


def active_need_areas(hub: Hub) -> list[NeedArea]:
    from django.db.models import Q

    return list(
        NeedArea.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=hub.organisation_id), is_active=True)
    )


@transaction.atomic
def assessment_start(*, mentee: Mentee, acting_user: User) -> Assessment:
    """Open a draft: an intake the first time, otherwise a review prefilled from the last one."""
    _require_coordinator(acting_user, mentee.hub_id)
    if not consent_in_force(mentee, ConsentKind.DATA_PROCESSING):
        raise ValidationError("Record her consent to keeping her information before starting an assessment.")
    draft = mentee.assessments.filter(state=Assessment.State.DRAFT).first()
    if draft is not None:
        return draft  # resume
    last = mentee.assessments.filter(state=Assessment.State.COMPLETE).order_by("-assessed_on", "-pk").first()
    assessment = Assessment(
        mentee=mentee,
        kind=Assessment.Kind.REVIEW if last else Assessment.Kind.INTAKE,
        created_by=acting_user,
    )
    if last is not None:
        for name in ASSESSMENT_FIELDS:
            if name != "assessed_on":
                setattr(assessment, name, getattr(last, name))
    assessment.full_clean()
    assessment.save()
    if last is not None:
        assessment.shared_experience_wanted.set(last.shared_experience_wanted.all())
        NeedRating.objects.bulk_create(
            [
                NeedRating(
                    assessment=assessment, need_area_id=need.need_area_id, **{f: getattr(need, f) for f in NEED_FIELDS}
                )
                for need in last.needs.all()
            ]
        )
    if mentee.status == MenteeStatus.REFERRED:
        _set_status(mentee, MenteeStatus.ASSESSING, reason="Assessment started", acting_user=acting_user)
    return assessment


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    acting_user: User,
    fields: dict[str, Any],
    needs: dict[int, dict[str, Any]],
    shared_experience_wanted: Iterable[NeedArea] = (),
    complete: bool = False,
) -> Assessment:
    """Save the draft (or complete it). `needs` maps need-area id to that area's answers."""
    mentee = assessment.mentee
    _require_coordinator(acting_user, mentee.hub_id)
    if assessment.state == Assessment.State.COMPLETE:
        raise ValidationError("This assessment is complete; start a review to record changes.")
    if not consent_in_force(mentee, ConsentKind.DATA_PROCESSING):
        raise ValidationError("She hasn't consented to us keeping her information, so the assessment can't be saved.")
    sharing_allowed = consent_in_force(mentee, ConsentKind.SHARE_WITH_MENTOR)
    for name, value in fields.items():
        if name not in ASSESSMENT_FIELDS:
            raise ValueError(f"Not an assessment field: {name}")
        setattr(assessment, name, value)
    if assessment.assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": "The assessment date can't be in the future."})
    assessment.full_clean()
    assessment.save()
    assessment.shared_experience_wanted.set(list(shared_experience_wanted))

    existing = {need.need_area_id: need for need in assessment.needs.all()}
    to_create: list[NeedRating] = []
    to_update: list[NeedRating] = []
    for area_id, answers in needs.items():
        if answers.get("share_with_mentor") and not sharing_allowed:
            raise ValidationError(
                "She hasn't consented to sharing needs with her mentor, so nothing can be marked to share."
            )
        need = existing.get(area_id) or NeedRating(assessment=assessment, need_area_id=area_id)
        for name in NEED_FIELDS:
            if name in answers:
                setattr(need, name, answers[name])
        need.full_clean(exclude=["assessment"] if need.pk is None else None, validate_unique=False)
        (to_update if need.pk else to_create).append(need)
    NeedRating.objects.bulk_create(to_create)
    if to_update:
        NeedRating.objects.bulk_update(to_update, list(NEED_FIELDS))

    if complete:
        assessment.state = Assessment.State.COMPLETE
        assessment.completed_at = timezone.now()
        assessment.save(update_fields=["state", "completed_at"])
        mentee.need_count = assessment.needs.filter(affects_now=AffectsNow.YES).count()
        mentee.review_due_on = assessment.assessed_on + timedelta(weeks=mentee.hub.review_interval_weeks)
        mentee.latest_assessment = assessment
        mentee.save(update_fields=["need_count", "review_due_on", "latest_assessment"])
        if mentee.status in (MenteeStatus.REFERRED, MenteeStatus.ASSESSING):
            _set_status(mentee, MenteeStatus.WAITING, reason="Intake assessment complete", acting_user=acting_user)
    return assessment


# --- goals ---


@transaction.atomic
def goal_create(
    *,
    mentee: Mentee,
    her_words: str,
    acting_user: User,
    need_area: NeedArea | None = None,
    share_with_mentor: bool = False,
) -> Goal:
    _require_coordinator(acting_user, mentee.hub_id)
    if share_with_mentor and not consent_in_force(mentee, ConsentKind.SHARE_WITH_MENTOR):
        raise ValidationError({"share_with_mentor": "She hasn't consented to sharing with her mentor."})
    goal = Goal(
        mentee=mentee,
        her_words=her_words,
        need_area=need_area,
        share_with_mentor=share_with_mentor,
        created_by=acting_user,
    )
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_add_update(*, goal: Goal, note: str, acting_user: User) -> GoalUpdate:
    _require_coordinator(acting_user, goal.mentee.hub_id)
    update = GoalUpdate(goal=goal, note=note, written_by=acting_user)
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def goal_set_outcome(*, goal: Goal, outcome: str, acting_user: User) -> Goal:
    _require_coordinator(acting_user, goal.mentee.hub_id)
    goal.outcome = outcome
    goal.full_clean()
    goal.save(update_fields=["outcome"])
    return goal


# --- nothing typed is lost when a session times out ---

STASH_MAX_AGE = timedelta(days=1)


def stash_save(*, user: User, path: str, data: dict[str, list[str]]) -> StashedSubmission:
    clean = {key: values for key, values in data.items() if key != "csrfmiddlewaretoken"}
    StashedSubmission.objects.filter(user=user, path=path).delete()
    return StashedSubmission.objects.create(user=user, path=path[:300], data=json.dumps(clean))


def stash_restore(*, user: User, path: str) -> dict[str, list[str]] | None:
    """Return (and forget) what she typed on this page before her session timed out."""
    stash = StashedSubmission.objects.filter(
        user=user, path=path, created_at__gte=timezone.now() - STASH_MAX_AGE
    ).first()
    if stash is None:
        return None
    StashedSubmission.objects.filter(user=user, path=path).delete()
    data: dict[str, list[str]] = json.loads(stash.data)
    return data


def stashes_purge() -> int:
    deleted, _ = StashedSubmission.objects.filter(created_at__lt=timezone.now() - STASH_MAX_AGE).delete()
    return deleted
