"""Who may see a mentor's record: her hub's coordinators. Safeguarding leads, decision makers and
org admins don't see it; a mentor sees her own training and DBS status on her home page.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from mentoring.models import (
    AccessLog,
    Mentor,
    User,
)
from mentoring.policies.audit import access_log_record
from mentoring.policies.people import coordinator_hub_ids


def mentors_visible_to(user: User) -> QuerySet[Mentor]:
    return Mentor.objects.filter(hub_id__in=coordinator_hub_ids(user))


def get_mentor_for_user(user: User, pk: int, *, purpose: str) -> Mentor:
    """Her record, or 404; handing it over writes the access log entry (her DBS certificate,
    references and the women she has known are on it)."""
    try:
        mentor = mentors_visible_to(user).select_related("hub", "hub__organisation", "user").get(pk=pk)
    except Mentor.DoesNotExist:
        raise Http404("No such record.") from None
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=mentor, hub=mentor.hub, reason=purpose)
    return mentor
