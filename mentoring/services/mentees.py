"""Writes of a woman's record: creating it, her profile and safe-contact details, her status."""

from __future__ import annotations

from datetime import date
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
)
from mentoring.policies.people import require_coordinator


def mentee_status_move(
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


@transaction.atomic
def mentee_create(*, hub: Hub, chosen_name: str, acting_user: User, **fields: Any) -> Mentee:
    require_coordinator(acting_user, hub)
    mentee = Mentee(hub=hub, chosen_name=chosen_name.strip(), created_by=acting_user, **fields)
    mentee.full_clean()
    mentee.save()
    MenteeStatusChange.objects.create(
        mentee=mentee, from_status="", to_status=mentee.status, reason="Record opened", changed_by=acting_user
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
    mentee.save()
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
