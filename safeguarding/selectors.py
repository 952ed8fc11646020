from datetime import datetime
from typing import TypedDict

from django.db.models import QuerySet

from mentoring.models import AccessLog, Hub, Role, User
from mentoring.policies.people import hub_ids_for
from safeguarding import policies


def safeguarding_hubs(*, user: User) -> QuerySet[Hub]:
    """The hubs where she is safeguarding lead, by name: their names are all the page shows."""
    hub_ids = hub_ids_for(user, [Role.SAFEGUARDING_LEAD])
    return Hub.objects.filter(pk__in=hub_ids).only("name").order_by("name")


class AccessEntry(TypedDict):
    at: datetime
    who: str
    action: str  # its label
    object_type: str
    object_id: str
    reason: str


def recent_access(*, user: User, limit: int = 50) -> list[AccessEntry]:
    """The latest entries of her hubs' access log, as rows of what the page shows.

    The people are read apart, by id: joining the whole people table before sorting the log
    costs more than a second small query.
    """
    rows = list(
        policies.access_log_visible_to(user)
        .order_by("-at", "-pk")
        .values_list("at", "user_id", "action", "object_type", "object_id", "reason")[:limit]
    )
    people = {
        pk: display_name or email
        for pk, display_name, email in User.objects.filter(pk__in={row[1] for row in rows}).values_list(
            "pk", "display_name", "email"
        )
    }
    labels = dict(AccessLog.Action.choices)
    return [
        AccessEntry(
            at=at,
            who=people[user_id],
            action=labels.get(action, action),
            object_type=object_type,
            object_id=object_id,
            reason=reason,
        )
        for at, user_id, action, object_type, object_id, reason in rows
    ]
