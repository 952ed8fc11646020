"""Decision makers (and coordinators, read-only) see aggregates, never a woman's record."""

from __future__ import annotations

from django.db.models import QuerySet

from mentoring import policies as mentoring_policies
from mentoring.models import Hub, Role, User


def can_use_dashboard(user: User) -> bool:
    return mentoring_policies.has_role(user, Role.DECISION_MAKER)


def dashboard_hubs(user: User) -> QuerySet[Hub]:
    return mentoring_policies.hubs_for(user, [Role.DECISION_MAKER])
