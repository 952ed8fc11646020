from django.db.models import QuerySet

from mentoring import policies as mentoring_policies
from mentoring.models import AccessLog, Hub, Role, User
from safeguarding import policies


def safeguarding_hubs(*, user: User) -> QuerySet[Hub]:
    """The hubs where she is safeguarding lead, by name: their names are all the page shows."""
    hub_ids = mentoring_policies.hub_ids_for(user, [Role.SAFEGUARDING_LEAD])
    return Hub.objects.filter(pk__in=hub_ids).only("name").order_by("name")


def recent_access(*, user: User, limit: int = 50) -> QuerySet[AccessLog]:
    """The latest entries of her hubs' access log, with what the page shows of each."""
    return (
        policies.access_log_visible_to(user)
        .select_related("user")
        .only("at", "action", "object_type", "object_id", "reason", "user__display_name", "user__email")
        .order_by("-at", "-pk")[:limit]
    )
