"""Decision makers (and coordinators, read-only) see aggregates, never a woman's record."""

from __future__ import annotations

from mentoring import policies as mentoring_policies
from mentoring.models import Role, User


def can_use_dashboard(user: User) -> bool:
    return mentoring_policies.has_role(user, Role.DECISION_MAKER)


def dashboard_hub_ids(user: User) -> list[int]:
    return mentoring_policies.hub_ids_for(user, [Role.DECISION_MAKER])
