"""Who may see and record relationships between mentors and women: the woman's hub's coordinators."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from mentoring.models import (
    AccessLog,
    RecordedRelationship,
    User,
)
from mentoring.policies.audit import access_log_record
from mentoring.policies.people import coordinator_hub_ids


def relationships_visible_to(user: User) -> QuerySet[RecordedRelationship]:
    return RecordedRelationship.objects.filter(mentee__hub_id__in=coordinator_hub_ids(user))


def get_relationship_for_user(user: User, pk: int, *, purpose: str) -> RecordedRelationship:
    """The relationship, or 404; handing it over writes the access log entry."""
    try:
        relationship = relationships_visible_to(user).select_related("mentee__hub", "mentor").get(pk=pk)
    except RecordedRelationship.DoesNotExist:
        raise Http404("No such record.") from None
    access_log_record(
        user=user, action=AccessLog.Action.VIEW, obj=relationship, hub=relationship.mentee.hub, reason=purpose
    )
    return relationship
