"""Writes of pairs: proposal, consent, activation, pause, resume, ending, reviews and agreements.

A mentor's view right on a woman follows the pair: given when it becomes active, taken away when
it is paused or ends.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentoring.matching.eligibility import missing_for_matching
from mentoring.matching.engine import PairConstraint, explain, feasible, why_none
from mentoring.matching.loader import load, weights_for
from mentoring.models import (
    AGREEMENT_FIELDS,
    FIRST_REVIEW_AFTER,
    OPEN_PAIR_STATUSES,
    PAIR_TRANSITIONS,
    AccessLog,
    ConsentMethod,
    EndReason,
    Mentee,
    MenteeStatus,
    Mentor,
    Pair,
    PairAgreement,
    PairReview,
    PairStatus,
    PairStatusChange,
    User,
)
from mentoring.models.mentees import channel_label
from mentoring.policies.audit import access_log_record
from mentoring.policies.mentees import grant_mentee_view, revoke_mentee_view
from mentoring.policies.pairs import can_write_pair_agreement
from mentoring.policies.people import require_coordinator
from mentoring.services.mentees import mentee_status_move


def _move(pair: Pair, to_status: str, *, acting_user: User, reason: str = "", on: date | None = None) -> None:
    if to_status not in PAIR_TRANSITIONS[pair.status]:
        now, then = pair.get_status_display().lower(), PairStatus(to_status).label.lower()
        raise ValidationError(f"A pair that is “{now}” can't become “{then}”.")
    on = on or timezone.localdate()
    # The pair's history is read in order: each change is dated on or after the one it follows.
    last = pair.status_changes.order_by("-created_at", "-pk").first()
    if last is not None and on < last.changed_on:
        then = PairStatus(to_status).label
        raise ValidationError(
            {
                "on": f"“{then}” can't be dated {_day(on)}: the pair became "
                f"“{PairStatus(last.to_status).label}” on {_day(last.changed_on)}, after that."
            }
        )
    PairStatusChange.objects.create(
        pair=pair,
        from_status=pair.status,
        to_status=to_status,
        reason=reason[:200],
        changed_by=acting_user,
        changed_on=on,
    )
    pair.status = to_status
    pair.status_changed_at = timezone.now()


def _day(on: date) -> str:
    return f"{on:%-d %b %Y}"


def _proposed_on(pair: Pair) -> date:
    return timezone.localdate(pair.proposed_at)


def _locked(pair: Pair) -> Pair:
    return Pair.objects.select_for_update().select_related("hub", "mentee", "mentor__user").get(pk=pair.pk)


def _grant(pair: Pair, acting_user: User, reason: str) -> None:
    grant_mentee_view(pair.mentor.user, pair.mentee)
    access_log_record(user=acting_user, action=AccessLog.Action.GRANT, obj=pair.mentee, hub=pair.hub, reason=reason)


def _revoke(pair: Pair, acting_user: User, reason: str) -> None:
    revoke_mentee_view(pair.mentor.user, pair.mentee)
    access_log_record(user=acting_user, action=AccessLog.Action.REVOKE, obj=pair.mentee, hub=pair.hub, reason=reason)


@transaction.atomic
def pair_propose(*, mentee: Mentee, mentor: Mentor, acting_user: User) -> Pair:
    """Propose a mentor for a waiting woman. The matcher's rules are checked again here, so a
    stale screen can't propose an ineligible, full or ruled-out mentor; its reasons are kept."""
    require_coordinator(acting_user, mentee.hub_id)
    mentee = Mentee.objects.select_for_update().get(pk=mentee.pk)
    if mentee.status != MenteeStatus.WAITING:
        raise ValidationError("Only a woman on the waiting list can be matched.")
    if mentor.hub_id != mentee.hub_id:
        raise ValidationError("The mentor is in another hub.")
    Mentor.objects.select_for_update().filter(pk=mentor.pk).first()  # one proposal at a time per mentor
    weights, priority_needs = weights_for(mentee.hub)
    data = load(hub_ids=[mentee.hub_id], mentee_ids=[mentee.pk], priority_needs=priority_needs)
    rows = {int(pk): j for j, pk in enumerate(data.pool.ids)}
    if mentor.pk not in rows:
        raise ValidationError("She has left the programme.")
    j = rows[mentor.pk]
    if not feasible(data.needs, data.pool, data.constraints)[0, j]:
        why = why_none(data.needs, 0, data.pool.select([j]), _constraints_for(data.constraints, j), data.vocab)
        raise ValidationError("This mentor can't be matched with her: " + "; ".join(why) + ".")
    reasons = explain(data.needs, 0, data.pool, j, weights, data.vocab)
    pair = Pair(
        hub=mentee.hub,
        mentee=mentee,
        mentor=mentor,
        score=round(sum(reason.points for reason in reasons), 1),
        reasons=[[reason.label, round(reason.points, 1)] for reason in reasons],
        proposed_by=acting_user,
    )
    pair.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            pair.save()
    except IntegrityError:
        raise ValidationError("She already has a proposed or active pair.") from None
    PairStatusChange.objects.create(pair=pair, from_status="", to_status=PairStatus.PROPOSED, changed_by=acting_user)
    return pair


def _constraints_for(constraints: list[PairConstraint], j: int) -> list[PairConstraint]:
    return [
        PairConstraint(mentee=c.mentee, mentor=0, effect=c.effect, label=c.label) for c in constraints if c.mentor == j
    ]


@transaction.atomic
def pair_ask_consent(*, pair: Pair, acting_user: User) -> Pair:
    """The proposal goes to both women: each must agree before the pair starts."""
    require_coordinator(acting_user, pair.hub_id)
    pair = _locked(pair)
    _move(pair, PairStatus.AWAITING_CONSENT, acting_user=acting_user)
    pair.save()
    return pair


@transaction.atomic
def pair_record_consent(*, pair: Pair, who: str, method: str, acting_user: User, on: date | None = None) -> Pair:
    """Record that the woman ("mentee") or the mentor ("mentor") agreed: when and how."""
    require_coordinator(acting_user, pair.hub_id)
    pair = _locked(pair)
    if pair.status not in (PairStatus.PROPOSED, PairStatus.AWAITING_CONSENT):
        raise ValidationError("Consent is recorded before the pair starts.")
    if who not in ("mentee", "mentor"):
        raise ValueError(who)
    if method not in ConsentMethod.values:
        raise ValidationError({"method": "Say how she agreed."})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "The date can't be in the future."})
    if on < _proposed_on(pair):
        who_agreed = "she" if who == "mentee" else "the mentor"
        proposed = _day(_proposed_on(pair))
        raise ValidationError(
            {"on": f"The date {who_agreed} agreed ({_day(on)}) is before the pair was proposed ({proposed})."}
        )
    if pair.status == PairStatus.PROPOSED:
        _move(pair, PairStatus.AWAITING_CONSENT, acting_user=acting_user, on=on)
    setattr(pair, f"{who}_consent_on", on)
    setattr(pair, f"{who}_consent_method", method)
    setattr(pair, f"{who}_consent_recorded_by", acting_user)
    pair.save()
    return pair


@transaction.atomic
def pair_activate(*, pair: Pair, acting_user: User, on: date | None = None) -> Pair:
    require_coordinator(acting_user, pair.hub_id)
    pair = _locked(pair)
    if not pair.both_consented:
        raise ValidationError("Both women must agree before the pair starts.")
    missing = missing_for_matching(pair.mentor)
    if missing:
        raise ValidationError("The mentor can't start yet: " + " ".join(missing))
    on = on or timezone.localdate()
    for who, agreed_on in (("she", pair.mentee_consent_on), ("the mentor", pair.mentor_consent_on)):
        if agreed_on is not None and on < agreed_on:
            raise ValidationError(
                {"on": f"The start date ({_day(on)}) is before {who} agreed to the pairing ({_day(agreed_on)})."}
            )
    _move(pair, PairStatus.ACTIVE, acting_user=acting_user, on=on)
    pair.activated_on = on
    pair.next_review_on = on + FIRST_REVIEW_AFTER
    pair.save()
    mentee_status_move(pair.mentee, MenteeStatus.MATCHED, reason="Pair started", acting_user=acting_user, on=on)
    _grant(pair, acting_user, "Pair started")
    return pair


@transaction.atomic
def pair_pause(*, pair: Pair, acting_user: User, reason: str = "") -> Pair:
    """Paused: the mentor can no longer see her, at once. Her place is kept."""
    require_coordinator(acting_user, pair.hub_id)
    pair = _locked(pair)
    _move(pair, PairStatus.PAUSED, acting_user=acting_user, reason=reason)
    pair.save()
    _revoke(pair, acting_user, "Pair paused")
    return pair


@transaction.atomic
def pair_resume(*, pair: Pair, acting_user: User) -> Pair:
    require_coordinator(acting_user, pair.hub_id)
    pair = _locked(pair)
    # Resuming gives the mentor her view right again: the same readiness as starting (she may
    # have left, or her DBS check lapsed, while the pair was paused).
    missing = missing_for_matching(pair.mentor)
    if missing:
        raise ValidationError("The mentor can't resume yet: " + " ".join(missing))
    _move(pair, PairStatus.ACTIVE, acting_user=acting_user, reason="Resumed")
    pair.save()
    _grant(pair, acting_user, "Pair resumed")
    return pair


@transaction.atomic
def pair_not_taken(*, pair: Pair, acting_user: User, reason: str) -> Pair:
    """A proposal that doesn't go ahead (either woman said no, or the coordinator changed her mind)."""
    require_coordinator(acting_user, pair.hub_id)
    if not reason.strip():
        raise ValidationError({"reason": "Say why, in a few words."})
    pair = _locked(pair)
    _move(pair, PairStatus.NOT_TAKEN, acting_user=acting_user, reason=reason)
    pair.not_taken_reason = reason.strip()[:200]
    pair.save()
    return pair


@transaction.atomic
def pair_end(
    *,
    pair: Pair,
    end_reason: str,
    acting_user: User,
    her_feedback: str = "",
    wants_new_mentor: bool | None = None,
    on: date | None = None,
) -> Pair:
    """A good ending: why, what she said, and whether she'd like a new mentor (then she goes
    back on the waiting list, her history kept). The mentor loses sight of her at once."""
    require_coordinator(acting_user, pair.hub_id)
    if end_reason not in EndReason.values:
        raise ValidationError({"end_reason": "Choose why the pair ended."})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "The end date can't be in the future."})
    pair = _locked(pair)
    was_active = pair.status == PairStatus.ACTIVE
    _move(pair, PairStatus.ENDED, acting_user=acting_user, reason=EndReason(end_reason).label, on=on)
    pair.ended_on = on
    pair.end_reason = end_reason
    pair.her_feedback = her_feedback.strip()
    pair.wants_new_mentor = wants_new_mentor
    pair.next_review_on = None
    pair.save()
    if was_active:
        _revoke(pair, acting_user, "Pair ended")
    mentee = Mentee.objects.select_for_update().get(pk=pair.mentee_id)
    if mentee.status == MenteeStatus.MATCHED:
        if wants_new_mentor:
            mentee_status_move(
                mentee,
                MenteeStatus.WAITING,
                reason="Pair ended; she'd like a new mentor",
                acting_user=acting_user,
                on=on,
            )
        else:
            mentee_status_move(mentee, MenteeStatus.ENDED, reason="Pair ended", acting_user=acting_user, on=on)
    return pair


@transaction.atomic
def pair_review_record(*, pair: Pair, acting_user: User, notes: str = "", on: date | None = None) -> PairReview:
    require_coordinator(acting_user, pair.hub_id)
    pair = _locked(pair)
    if pair.status not in (PairStatus.ACTIVE, PairStatus.PAUSED):
        raise ValidationError("Only a running pair is reviewed.")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "The review date can't be in the future."})
    if pair.activated_on is not None and on < pair.activated_on:
        raise ValidationError(
            {"on": f"The review date ({_day(on)}) is before the pair started ({_day(pair.activated_on)})."}
        )
    last_review = pair.reviews.order_by("-reviewed_on", "-pk").first()
    if last_review is not None and on < last_review.reviewed_on:
        raise ValidationError(
            {"on": f"The review date ({_day(on)}) is before the last review ({_day(last_review.reviewed_on)})."}
        )
    review = PairReview(pair=pair, reviewed_on=on, notes=notes.strip(), reviewed_by=acting_user)
    review.full_clean()
    review.save()
    pair.next_review_on = on + timedelta(weeks=pair.hub.review_interval_weeks)
    pair.save(update_fields=["next_review_on"])
    return review


@transaction.atomic
def pair_agreement_save(*, pair: Pair, acting_user: User, **fields: Any) -> PairAgreement:
    """A new version each time: the earlier ones are kept, so both can see how it changed."""
    if not can_write_pair_agreement(acting_user, pair):
        raise PermissionDenied("Only her coordinator or her mentor can write the pair agreement.")
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not agreement fields: {sorted(unknown)}")
    if pair.status not in (PairStatus.AWAITING_CONSENT, PairStatus.ACTIVE, PairStatus.PAUSED):
        raise ValidationError("The agreement is written once both have said yes, at the first meeting.")
    Pair.objects.select_for_update().filter(pk=pair.pk).first()  # versions are numbered one at a time
    # Only ways she has marked safe, read fresh: her record may have changed since the form was shown.
    mentee = Mentee.objects.get(pk=pair.mentee_id)
    not_safe = [channel for channel in fields.get("contact_channels") or [] if channel not in mentee.safe_ways]
    if not_safe:
        why = [f"“{channel_label(channel)}” can't be agreed: {mentee.why_not_safe(channel)}" for channel in not_safe]
        raise ValidationError({"contact_channels": why})
    last = pair.agreements.order_by("-version").values_list("version", flat=True).first() or 0
    agreement = PairAgreement(pair=pair, version=last + 1, recorded_by=acting_user, **fields)
    if agreement.agreed_on and agreement.agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": "The date can't be in the future."})
    if agreement.agreed_on and agreement.agreed_on < _proposed_on(pair):
        raise ValidationError(
            {
                "agreed_on": f"The agreement date ({_day(agreement.agreed_on)}) is before the pair was proposed "
                f"({_day(_proposed_on(pair))})."
            }
        )
    previous = pair.agreements.order_by("-version").first()
    if agreement.agreed_on and previous is not None and agreement.agreed_on < previous.agreed_on:
        raise ValidationError(
            {
                "agreed_on": f"The agreement date ({_day(agreement.agreed_on)}) is before the version it replaces "
                f"(version {previous.version}, {_day(previous.agreed_on)})."
            }
        )
    agreement.full_clean()
    agreement.save()
    return agreement


def open_pair_for(mentee: Mentee) -> Pair | None:
    return mentee.pairs.filter(status__in=OPEN_PAIR_STATUSES).select_related("mentor__user").first()


@transaction.atomic
def proposal_reject(*, mentee: Mentee, mentor: Mentor, acting_user: User, reason: str) -> Pair:
    """A batch suggestion the coordinator turns down: kept as a pair that didn't go ahead, so
    the matcher doesn't suggest the same two women again."""
    pair = pair_propose(mentee=mentee, mentor=mentor, acting_user=acting_user)
    return pair_not_taken(pair=pair, acting_user=acting_user, reason=reason)
