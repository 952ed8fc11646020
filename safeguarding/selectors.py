from django.db.models import QuerySet

from mentoring.models import AccessLog, User
from safeguarding import policies


def recent_access(*, user: User, limit: int = 50) -> QuerySet[AccessLog]:
    return policies.access_log_visible_to(user).select_related("user", "hub").order_by("-at", "-pk")[:limit]
