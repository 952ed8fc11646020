"""Who may see someone in mentor recruitment: her hub's coordinators, as for a mentor's record.

Before she has an account her enquiry, contact details and references are recruitment work, so
the rule is the mentor record's (`mentoring.policies.mentors`): safeguarding leads, decision
makers, org admins and mentors don't see them, and another hub's coordinator gets a 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from mentoring.models import AccessLog, MentorApplicant, User
from mentoring.policies.audit import access_log_record
from mentoring.policies.people import coordinator_hub_ids


def applicants_visible_to(user: User) -> QuerySet[MentorApplicant]:
    return MentorApplicant.objects.filter(hub_id__in=coordinator_hub_ids(user))


def get_applicant_for_user(user: User, pk: int, *, purpose: str) -> MentorApplicant:
    """Her recruitment record, or 404; handing it over writes the access log entry (her contact
    details and references are on it). A refusal writes nothing."""
    try:
        applicant = applicants_visible_to(user).select_related("hub", "hub__organisation").get(pk=pk)
    except MentorApplicant.DoesNotExist:
        raise Http404("No such record.") from None
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=applicant, hub=applicant.hub, reason=purpose)
    return applicant
