"""Who may see safeguarding records. Safeguarding leads see their hubs' records; nobody
else does without an explicit grant (disclosures and grants are yet to come)."""

from __future__ import annotations

from django.db.models import QuerySet

from mentoring.models import AccessLog, Role, User
from mentoring.policies.people import has_role, hub_ids_for


def can_use_home(user: User) -> bool:
    return has_role(user, Role.SAFEGUARDING_LEAD)


def access_log_visible_to(user: User) -> QuerySet[AccessLog]:
    """The access log of the hubs where she is safeguarding lead: who looked at what, when, why."""
    hub_ids = hub_ids_for(user, [Role.SAFEGUARDING_LEAD])
    if not hub_ids:
        return AccessLog.objects.none()
    return AccessLog.objects.filter(hub_id__in=hub_ids)
