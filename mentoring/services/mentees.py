"""Writes of a woman's record: creating it, her profile and safe-contact details, her status."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring.models import (
    MENTEE_PROFILE_FIELDS,
    OPEN_PAIR_STATUSES,
    STATUS_TRANSITIONS,
    Hub,
    Mentee,
    MenteeStatus,
    MenteeStatusChange,
    User,
    latest_contact_consents,
    safe_contact_disagreements,
)
from mentoring.policies.people import require_coordinator


def status_moment(on: date) -> datetime:
    """When a move dated `on` took effect: now for one made today, the start of that day otherwise.

    Her waiting time (the waiting list, the mentee list's "waiting at least" filter) counts from
    `status_changed_at`; a move recorded after the day it happened must count from that day.
    """
    if on >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(on, time.min))


def mentee_status_move(
    mentee: Mentee, to_status: str, *, reason: str, acting_user: User | None, on: date | None = None
) -> None:
    """Move her on, dated `on` (today by default). Her history is read in order, so a move dated
    before the change it follows is refused."""
    on = on or timezone.localdate()
    last = mentee.status_changes.order_by("-created_at", "-pk").first()
    if last is not None and on < last.changed_on:
        raise ValidationError(
            f"“{MenteeStatus(to_status).label}” can't be dated {on:%-d %b %Y}: she became "
            f"“{MenteeStatus(last.to_status).label}” on {last.changed_on:%-d %b %Y}, after that."
        )
    MenteeStatusChange.objects.create(
        mentee=mentee,
        from_status=mentee.status,
        to_status=to_status,
        reason=reason[:300],
        changed_by=acting_user,
        changed_on=on,
    )
    mentee.status = to_status
    mentee.status_changed_at = status_moment(on)
    mentee.save(update_fields=["status", "status_changed_at"])


@transaction.atomic
def mentee_create(
    *, hub: Hub, chosen_name: str, acting_user: User, opened_on: date | None = None, **fields: Any
) -> Mentee:
    """Open her record; `opened_on` dates its first history entry (her referral's date)."""
    require_coordinator(acting_user, hub)
    mentee = Mentee(hub=hub, chosen_name=chosen_name.strip(), created_by=acting_user, **fields)
    if opened_on is not None:
        mentee.status_changed_at = status_moment(opened_on)
    mentee.full_clean()
    mentee.save()
    MenteeStatusChange.objects.create(
        mentee=mentee,
        from_status="",
        to_status=mentee.status,
        reason="Record opened",
        changed_by=acting_user,
        changed_on=opened_on or timezone.localdate(),
    )
    return mentee


@transaction.atomic
def mentee_update_profile(*, mentee: Mentee, acting_user: User, **fields: Any) -> Mentee:
    require_coordinator(acting_user, mentee.hub_id)
    unknown = set(fields) - set(MENTEE_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(mentee, name, value)
    mentee.full_clean()
    # Whoever contacts her reads one answer (`Mentee.safe_ways`): answers that contradict each
    # other are refused here, rather than one of them being silently believed.
    disagreements = safe_contact_disagreements(mentee, latest_contact_consents(mentee, list(mentee.consents.all())))
    if disagreements:
        raise ValidationError(disagreements)
    mentee.save()
    mentee.__dict__.pop("safe_ways", None)
    return mentee


@transaction.atomic
def mentee_change_status(
    *, mentee: Mentee, to_status: str, reason: str, acting_user: User, on: date | None = None
) -> Mentee:
    require_coordinator(acting_user, mentee.hub_id)
    if to_status not in STATUS_TRANSITIONS.get(mentee.status, ()):
        raise ValidationError({"to_status": f"She can't move from “{mentee.get_status_display()}” to that status."})
    if to_status in (MenteeStatus.WITHDRAWN, MenteeStatus.DECLINED) and not reason.strip():
        raise ValidationError({"reason": "Say why, in a few words."})
    if mentee.pairs.filter(status__in=OPEN_PAIR_STATUSES).exists():
        # Her mentor's right to see her follows the pair: end the pair first, so it is revoked.
        raise ValidationError("She has a proposed or running pair: end it (or mark it as not going ahead) first.")
    mentee_status_move(mentee, to_status, reason=reason, acting_user=acting_user, on=on)
    return mentee
