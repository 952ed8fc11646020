from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from funding import policies
from funding.suppression import suppress
from mentoring.models import Role, User


@dataclass(frozen=True)
class HubFigures:
    name: str
    mentees: str
    mentors: str


def programme_overview(*, user: User) -> tuple[list[HubFigures], str, str]:
    """Mentees and mentors per hub, suppressed for small numbers. One query."""
    rows = list(
        policies.dashboard_hubs(user)
        .annotate(
            n_mentees=Count("mentees", distinct=True),
            n_mentors=Count("memberships", filter=Q(memberships__role=Role.MENTOR), distinct=True),
        )
        .order_by("name")
        .values_list("name", "n_mentees", "n_mentors")
    )
    mentees, mentees_total = suppress({name: n for name, n, _ in rows})
    mentors, mentors_total = suppress({name: n for name, _, n in rows})
    figures = [HubFigures(name=name, mentees=mentees[name], mentors=mentors[name]) for name, _, _ in rows]
    return figures, mentees_total, mentors_total
