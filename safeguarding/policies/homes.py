"""Who may open the safeguarding home: anyone who is safeguarding lead in one of her hubs."""

from __future__ import annotations

from mentoring.models import Role, User
from mentoring.policies.people import has_role


def can_use_home(user: User) -> bool:
    return has_role(user, Role.SAFEGUARDING_LEAD)
