"""Decision makers see aggregates of their hubs, never a woman's record."""

from __future__ import annotations

from mentoring.models import Role, User
from mentoring.policies.people import has_role, hub_ids_for


def can_use_dashboard(user: User) -> bool:
    return has_role(user, Role.DECISION_MAKER)


def dashboard_hub_ids(user: User) -> list[int]:
    return hub_ids_for(user, [Role.DECISION_MAKER])
