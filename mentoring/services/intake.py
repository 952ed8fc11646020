"""Writes of intake: referral, consent, the needs assessment, goals and the organisation's need areas."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from mentoring.models import (
    CLOSED_STATUSES,
    CONSENT_FOR_CHANNEL,
    Assessment,
    Consent,
    ConsentKind,
    ContactChannel,
    Goal,
    GoalUpdate,
    Hub,
    Mentee,
    MenteeStatus,
    NeedArea,
    NeedRating,
    Referral,
    User,
)
from mentoring.models.mentees import possible_same_women
from mentoring.policies.people import organisations_administered, require_coordinator
from mentoring.services.mentees import mentee_create, mentee_status_move


@transaction.atomic
def need_area_add(*, organisation_id: int, name: str, acting_user: User) -> NeedArea:
    if organisation_id not in organisations_administered(acting_user):
        raise PermissionDenied("Only an org admin can add need areas.")
    slug = slugify(name)[:100] or "area"
    same_scope = Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
    if NeedArea.objects.filter(same_scope).filter(Q(slug=slug) | Q(name__iexact=name.strip())).exists():
        raise ValidationError({"name": "There is already a need area with that name."})
    area = NeedArea(organisation_id=organisation_id, name=name.strip(), slug=slug, order=1000)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def need_area_set_active(*, area: NeedArea, is_active: bool, acting_user: User) -> NeedArea:
    """Only the organisation's own areas can be switched off; past assessments keep them."""
    if area.organisation_id is None or area.organisation_id not in organisations_administered(acting_user):
        raise PermissionDenied("Standard need areas can't be switched off.")
    area.is_active = is_active
    area.save(update_fields=["is_active"])
    return area


# The code of the error `referral_create` raises until the coordinator confirms she is new.
POSSIBLE_SAME_WOMAN = "possible_same_woman"


@transaction.atomic
def referral_create(
    *,
    hub: Hub,
    acting_user: User,
    chosen_name: str = "",
    mentee: Mentee | None = None,
    date_of_birth: date | None = None,
    contact_details: str = "",
    confirmed_new: bool = False,
    **fields: Any,
) -> Referral:
    """A new referral: opens her record, or re-opens it (a re-referral keeps all her history).

    A new record whose chosen name, with her date of birth or contact details, matches a woman
    already in the organisation is not opened until the coordinator confirms she is someone new
    (`confirmed_new`): two records for one woman split her history and her consents between them.
    """
    require_coordinator(acting_user, hub)
    referred_on: date = fields.get("referred_on") or timezone.localdate()
    if mentee is None:
        if not chosen_name.strip():
            raise ValidationError({"chosen_name": "What would she like to be called?"})
        if not confirmed_new and possible_same_women(
            organisation_id=hub.organisation_id,
            chosen_name=chosen_name,
            date_of_birth=date_of_birth,
            contact_details=contact_details,
        ):
            raise ValidationError(
                "A woman with this name and the same date of birth or contact details is already known "
                "to the organisation. Is this the same woman?",
                code=POSSIBLE_SAME_WOMAN,
            )
        mentee = mentee_create(
            hub=hub,
            chosen_name=chosen_name,
            acting_user=acting_user,
            opened_on=referred_on,
            date_of_birth=date_of_birth,
            contact_details=contact_details.strip(),
        )
    else:
        mentee = Mentee.objects.select_for_update().get(pk=mentee.pk)
        if mentee.hub_id != hub.pk:
            raise ValidationError("A re-referral is made in her own hub.")
        if mentee.status not in CLOSED_STATUSES:
            raise ValidationError("She is already with us: no new referral is needed.")
        try:
            mentee_status_move(
                mentee, MenteeStatus.REFERRED, reason="Re-referred", acting_user=acting_user, on=referred_on
            )
        except ValidationError as exc:
            raise ValidationError({"referred_on": exc.messages}) from None
    referral = Referral(mentee=mentee, hub=hub, created_by=acting_user, **fields)
    referral.full_clean()
    referral.save()
    return referral


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
    require_coordinator(acting_user, mentee.hub_id)
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
    if not given:
        _stop_contact_without_consent(mentee, kind)
    return consent


def _stop_contact_without_consent(mentee: Mentee, kind: str) -> None:
    """A way of contacting her that she withdrew consent to stops being a safe way at once, and so
    do the answers that depend on it (a voicemail needs a phone call, a letter is a letter), so her
    record never says a way is safe that she has said no to. Withdrawing is never refused."""
    channels = [channel for channel, consent_kind in CONSENT_FOR_CHANNEL.items() if consent_kind == kind]
    if not channels:
        return
    fields = ["safe_channels", "voicemail_safe", "letters_safe"]
    Mentee.objects.select_for_update().filter(pk=mentee.pk).first()  # her answers change one writer at a time
    mentee.refresh_from_db(fields=fields)
    mentee.safe_channels = [channel for channel in mentee.safe_channels if channel not in channels]
    if ContactChannel.PHONE in channels and mentee.voicemail_safe:
        mentee.voicemail_safe = False
    if ContactChannel.LETTER in channels and mentee.letters_safe:
        mentee.letters_safe = False
    mentee.save(update_fields=fields)
    mentee.__dict__.pop("safe_ways", None)


def consent_in_force(mentee: Mentee, kind: str) -> bool:
    latest = Consent.objects.filter(mentee=mentee, kind=kind).order_by("-recorded_at", "-pk").first()
    return bool(latest and latest.given)


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
    require_coordinator(acting_user, mentee.hub_id)
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
        mentee_status_move(mentee, MenteeStatus.ASSESSING, reason="Assessment started", acting_user=acting_user)
    return assessment


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    acting_user: User,
    fields: dict[str, Any],
    needs: dict[int, dict[str, Any]],
    shared_experience_wanted: Iterable[NeedArea] = (),
    needs_not_said: bool | None = None,
    complete: bool = False,
) -> Assessment:
    """Save the draft (or complete it). `needs` maps need-area id to that area's answers;
    `needs_not_said` records (True) or clears (False) her wish not to talk about her needs yet,
    dated with this conversation and the coordinator's name; None leaves it as it is."""
    mentee = assessment.mentee
    require_coordinator(acting_user, mentee.hub_id)
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
    _check_assessed_on_follows(assessment)
    if needs_not_said is True:
        assessment.needs_not_said_on = assessment.assessed_on
        assessment.needs_not_said_by = acting_user
    elif needs_not_said is False:
        assessment.needs_not_said_on = None
        assessment.needs_not_said_by = None
    elif assessment.needs_not_said_on is not None:
        assessment.needs_not_said_on = assessment.assessed_on  # dated with the conversation it was said in
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
        problem = assessment.completion_problem()
        if problem is not None:
            raise ValidationError(problem)
        assessment.state = Assessment.State.COMPLETE
        assessment.completed_at = timezone.now()
        assessment.save(update_fields=["state", "completed_at"])
        mentee.need_count = assessment.need_count_now()
        mentee.review_due_on = assessment.assessed_on + timedelta(weeks=mentee.hub.review_interval_weeks)
        mentee.latest_assessment = assessment
        mentee.save(update_fields=["need_count", "review_due_on", "latest_assessment"])
        if mentee.status in (MenteeStatus.REFERRED, MenteeStatus.ASSESSING):
            mentee_status_move(
                mentee, MenteeStatus.WAITING, reason="Intake assessment complete", acting_user=acting_user
            )
    return assessment


def _check_assessed_on_follows(assessment: Assessment) -> None:
    """An assessment follows her referral, and a review follows the assessment before it: a date
    before either would put her history, and the distance she has travelled, out of order."""
    on = assessment.assessed_on
    referral = assessment.mentee.referrals.order_by("-referred_on", "-pk").first()
    if referral is not None and on < referral.referred_on:
        raise ValidationError(
            {
                "assessed_on": f"The assessment date ({on:%-d %b %Y}) is before her referral "
                f"({referral.referred_on:%-d %b %Y})."
            }
        )
    earlier = (
        assessment.mentee.assessments.filter(state=Assessment.State.COMPLETE)
        .exclude(pk=assessment.pk)
        .order_by("-assessed_on", "-pk")
        .first()
    )
    if earlier is not None and on < earlier.assessed_on:
        raise ValidationError(
            {
                "assessed_on": f"The review date ({on:%-d %b %Y}) is before her last assessment "
                f"({earlier.assessed_on:%-d %b %Y})."
            }
        )


@transaction.atomic
def goal_create(
    *,
    mentee: Mentee,
    her_words: str,
    acting_user: User,
    need_area: NeedArea | None = None,
    share_with_mentor: bool = False,
) -> Goal:
    require_coordinator(acting_user, mentee.hub_id)
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
    require_coordinator(acting_user, goal.mentee.hub_id)
    update = GoalUpdate(goal=goal, note=note, written_by=acting_user)
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def goal_set_outcome(*, goal: Goal, outcome: str, acting_user: User) -> Goal:
    require_coordinator(acting_user, goal.mentee.hub_id)
    goal.outcome = outcome
    goal.full_clean()
    goal.save(update_fields=["outcome"])
    return goal
