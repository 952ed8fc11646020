"""Writes of recorded relationships between a mentor and a woman."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring.models import (
    RELATIONSHIP_DEFAULT_EFFECT,
    Mentee,
    Mentor,
    RecordedRelationship,
    User,
)
from mentoring.policies.people import require_coordinator


@transaction.atomic
def relationship_record(
    *,
    mentee: Mentee,
    mentor: Mentor,
    kind: str,
    acting_user: User,
    effect: str = "",
    note: str = "",
) -> RecordedRelationship:
    """Recorded on either person's page; the matcher honours it from now on."""
    require_coordinator(acting_user, mentee.hub_id)
    if mentor.hub_id != mentee.hub_id:
        raise ValidationError("They are in different hubs.")
    relationship = RecordedRelationship(
        mentee=mentee,
        mentor=mentor,
        kind=kind,
        effect=effect or RELATIONSHIP_DEFAULT_EFFECT.get(kind, RecordedRelationship.Effect.EXCLUDE),
        note=note.strip(),
        recorded_by=acting_user,
    )
    relationship.full_clean()
    relationship.save()
    return relationship


@transaction.atomic
def relationship_withdraw(*, relationship: RecordedRelationship, acting_user: User) -> RecordedRelationship:
    require_coordinator(acting_user, relationship.mentee.hub_id)
    if relationship.withdrawn_at is None:
        relationship.withdrawn_at = timezone.now()
        relationship.withdrawn_by = acting_user
        relationship.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return relationship
