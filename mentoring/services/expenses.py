"""Writes of volunteers' expense claims: made from her session log, approved (the amount fixed
then), queried and answered, marked paid; and the mileage rates an organisation pays.

The 10,000-mile threshold counts her miles in the order they are approved: a claim approved
when her tax year's approved miles already reach it is paid at the rate after it, and one that
crosses it is split. Her mentor record is locked while a claim of hers is approved, so two
coordinators approving two of her claims at once can't both count the same miles at 45p.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from mentoring.models import (
    CLAIM_TRANSITIONS,
    DECIDED_STATES,
    ClaimState,
    ExpenseClaim,
    ExpenseClaimEvent,
    Mentor,
    MentoringSession,
    MileageRate,
    User,
    split_mileage,
    tax_year_end,
    tax_year_start,
)
from mentoring.policies.expenses import can_set_mileage_rate, is_her_claim, require_claim_decider

ZERO = Decimal("0")
# The log's fields a claim copies, and the claim's names for them.
LOG_FIELDS = (
    ("held_on", "held_on"),
    ("travel_miles", "miles"),
    ("travel_fare", "fares"),
    ("expenses_amount", "other_amount"),
)
NOTE_LENGTH = 500


def _claimed(session: MentoringSession) -> dict[str, Decimal]:
    return {
        "miles": session.travel_miles or ZERO,
        "fares": session.travel_fare or ZERO,
        "other_amount": session.expenses_amount or ZERO,
    }


def _move(claim: ExpenseClaim, to_state: str, *, acting_user: User, note: str = "") -> None:
    if to_state not in CLAIM_TRANSITIONS[claim.state]:
        raise ValidationError(f"A claim that is {claim.get_state_display().lower()} can't be {to_state} now.")
    ExpenseClaimEvent.objects.create(
        claim=claim, from_state=claim.state, to_state=to_state, by=acting_user, note=note[:NOTE_LENGTH]
    )
    claim.state = to_state


def _locked(claim: ExpenseClaim) -> ExpenseClaim:
    # The claim's row only: locking the joined rows too would hold up every claim of her hub.
    return ExpenseClaim.objects.select_for_update(of=("self",)).select_related("mentor__user", "hub").get(pk=claim.pk)


def claim_for_session(*, session: MentoringSession, acting_user: User) -> ExpenseClaim | None:
    """Her log's claim, made or brought up to date as she saves the log: a log with travel (miles
    or a fare) or other expenses has one. A correction resubmits a queried claim; taking every
    amount off withdraws it. Once approved, the amounts are promised and her log's can't change."""
    claimed = _claimed(session)
    wants = any(value > 0 for value in claimed.values())
    with transaction.atomic():
        claim = ExpenseClaim.objects.select_for_update().filter(session=session).first()
        if claim is None:
            if not wants:
                return None
            mentor = Mentor.objects.only("pk", "hub_id").get(pk=session.pair.mentor_id)
            claim = ExpenseClaim(
                session=session, mentor=mentor, hub_id=mentor.hub_id, held_on=session.held_on, **claimed
            )
            claim.save(force_insert=True)
            ExpenseClaimEvent.objects.create(claim=claim, to_state=ClaimState.SUBMITTED, by=acting_user)
            return claim
        if claim.state in DECIDED_STATES:
            current = {"held_on": session.held_on, **claimed}
            changed = [log for log, name in LOG_FIELDS if getattr(claim, name) != current[name]]
            if changed:
                message = (
                    f"Your claim for this session was {claim.get_state_display().lower()}: its date and amounts "
                    "can't change now. Ask your coordinator if something is wrong."
                )
                raise ValidationError({log: message for log in changed})
            return claim
        for name, value in claimed.items():
            setattr(claim, name, value)
        claim.held_on = session.held_on
        if not wants:
            if claim.state != ClaimState.WITHDRAWN:
                _move(claim, ClaimState.WITHDRAWN, acting_user=acting_user)
        elif claim.state in (ClaimState.QUERIED, ClaimState.WITHDRAWN):
            _move(claim, ClaimState.SUBMITTED, acting_user=acting_user, note="Corrected the session log")
            claim.submitted_at = timezone.now()
        claim.save()
        return claim


def approved_miles_in_tax_year(*, mentor_id: int, day: date, exclude_pk: int | None = None) -> Decimal:
    """Her miles already approved (or paid) for journeys in the tax year that `day` is in."""
    rows = ExpenseClaim.objects.filter(
        mentor_id=mentor_id,
        state__in=DECIDED_STATES,
        held_on__gte=tax_year_start(day),
        held_on__lte=tax_year_end(day),
    )
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.aggregate(miles=Sum("miles"))["miles"] or ZERO


@transaction.atomic
def claim_approve(*, claim: ExpenseClaim, acting_user: User) -> ExpenseClaim:
    """Approve her claim and fix what it pays: her miles at the rate in force on the session's
    date, split at the threshold by her miles approved before in that tax year; fares and other
    expenses as claimed."""
    claim = _locked(claim)
    require_claim_decider(acting_user, claim)
    if claim.state != ClaimState.SUBMITTED:
        raise ValidationError(
            f"Only a submitted claim can be approved; this one is {claim.get_state_display().lower()}."
        )
    # Her record, locked: her other claims are approved one after another, each counting the last.
    Mentor.objects.select_for_update().filter(pk=claim.mentor_id).values_list("pk", flat=True).get()
    first_pence, after_pence = MileageRate.objects.in_force(claim.hub.organisation_id, claim.held_on)
    split = split_mileage(
        claim.miles,
        approved_before=approved_miles_in_tax_year(mentor_id=claim.mentor_id, day=claim.held_on, exclude_pk=claim.pk),
        first_pence=first_pence,
        after_pence=after_pence,
    )
    _move(claim, ClaimState.APPROVED, acting_user=acting_user)
    claim.miles_at_first_rate = split.at_first_rate
    claim.miles_at_after_rate = split.at_after_rate
    claim.first_rate_pence = first_pence
    claim.after_rate_pence = after_pence
    claim.mileage_amount = split.amount
    claim.total = split.amount + claim.fares + claim.other_amount
    claim.approved_at = timezone.now()
    claim.approved_by = acting_user
    claim.full_clean(exclude=["session", "mentor", "hub", "approved_by"])
    claim.save()
    return claim


@transaction.atomic
def claim_query(*, claim: ExpenseClaim, acting_user: User, reason: str) -> ExpenseClaim:
    """Ask her about a claim before approving it: she sees the question, and corrects her log or answers."""
    claim = _locked(claim)
    require_claim_decider(acting_user, claim)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what you need to know, so she can answer."})
    if claim.state != ClaimState.SUBMITTED:
        raise ValidationError(
            f"Only a submitted claim can be queried; this one is {claim.get_state_display().lower()}."
        )
    _move(claim, ClaimState.QUERIED, acting_user=acting_user, note=reason)
    claim.save(update_fields=["state"])
    return claim


@transaction.atomic
def claim_answer(*, claim: ExpenseClaim, acting_user: User, answer: str) -> ExpenseClaim:
    """Her answer to a query: the claim goes back to her coordinators, submitted again."""
    claim = _locked(claim)
    if not is_her_claim(acting_user, claim):
        raise PermissionDenied("Only the mentor who claimed answers a query.")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Write your answer to the question."})
    if claim.state != ClaimState.QUERIED:
        raise ValidationError("This claim has no question waiting for an answer.")
    _move(claim, ClaimState.SUBMITTED, acting_user=acting_user, note=answer)
    claim.submitted_at = timezone.now()
    claim.save(update_fields=["state", "submitted_at"])
    return claim


@transaction.atomic
def claim_mark_paid(*, claim: ExpenseClaim, acting_user: User, paid_on: date | None = None) -> ExpenseClaim:
    claim = _locked(claim)
    require_claim_decider(acting_user, claim)
    paid_on = paid_on or timezone.localdate()
    if claim.state != ClaimState.APPROVED:
        raise ValidationError(f"Only an approved claim can be paid; this one is {claim.get_state_display().lower()}.")
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "The date it was paid can't be in the future."})
    if claim.approved_at and paid_on < timezone.localdate(claim.approved_at):
        raise ValidationError({"paid_on": "The date it was paid can't be before it was approved."})
    _move(claim, ClaimState.PAID, acting_user=acting_user)
    claim.paid_on = paid_on
    claim.paid_by = acting_user
    claim.save(update_fields=["state", "paid_on", "paid_by"])
    return claim


@transaction.atomic
def mileage_rate_set(
    *, organisation_id: int, effective_from: date, first_pence: Decimal, after_pence: Decimal, acting_user: User
) -> MileageRate:
    """What the organisation pays a mile from a date on (replacing a rate set for the same day).
    Claims approved already keep the rate they were approved at."""
    if not can_set_mileage_rate(acting_user, organisation_id):
        raise PermissionDenied("Only an org admin of the organisation sets its mileage rate.")
    rate, _ = MileageRate.objects.select_for_update().get_or_create(
        organisation_id=organisation_id,
        effective_from=effective_from,
        defaults={"first_pence": first_pence, "after_pence": after_pence, "set_by": acting_user},
    )
    rate.first_pence, rate.after_pence, rate.set_by = first_pence, after_pence, acting_user
    rate.full_clean(exclude=["organisation", "set_by"])
    rate.save()
    return rate


def claims_for_logged_sessions() -> int:
    """Claims for logs saved before claims existed (the demo's seeded sessions): each log with
    travel or expenses and no claim gets one, submitted by the mentor who logged it. Safe to run
    again. Returns how many were made."""
    wanting = MentoringSession.objects.filter(
        Q(travel_miles__gt=0) | Q(travel_fare__gt=0) | Q(expenses_amount__gt=0), claim__isnull=True
    ).select_related("pair", "logged_by")
    made = 0
    for session in wanting.order_by("pk"):
        if claim_for_session(session=session, acting_user=session.logged_by) is not None:
            made += 1
    return made
