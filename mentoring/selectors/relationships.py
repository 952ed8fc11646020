"""Reads of recorded relationships, for a mentor's and for a woman's record."""

from __future__ import annotations

from django.db.models import (
    F,
    QuerySet,
)

from mentoring.models import (
    Mentor,
    RecordedRelationship,
)


def relationships_of_mentor(mentor: Mentor) -> QuerySet[RecordedRelationship]:
    return mentor.relationships.select_related("mentee", "recorded_by", "withdrawn_by").order_by(
        F("withdrawn_at").asc(nulls_first=True), "-recorded_on", "-pk"
    )


def relationships_of_mentee(mentee_id: int) -> QuerySet[RecordedRelationship]:
    return (
        RecordedRelationship.objects.filter(mentee_id=mentee_id)
        .select_related("mentor__user", "recorded_by", "withdrawn_by")
        .order_by(F("withdrawn_at").asc(nulls_first=True), "-recorded_on", "-pk")
    )
