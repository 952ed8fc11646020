from __future__ import annotations

from dataclasses import dataclass

from funding import policies
from funding.suppression import suppress
from mentoring.models import Hub, User
from mentoring.selectors.homes import hub_counts


@dataclass(frozen=True)
class HubFigures:
    name: str
    mentees: str
    mentors: str


def programme_overview(*, user: User) -> tuple[list[HubFigures], str, str]:
    """Mentees and mentors per hub, suppressed for small numbers. Three small queries: the
    hubs, then one grouped count per kind (see mentoring.selectors.homes.hub_counts)."""
    hub_ids = policies.dashboard_hub_ids(user)
    hubs = list(Hub.objects.filter(pk__in=hub_ids).order_by("name").values_list("pk", "name"))
    mentee_counts, mentor_counts = hub_counts(hub_ids)
    mentees, mentees_total = suppress({name: mentee_counts.get(pk, 0) for pk, name in hubs})
    mentors, mentors_total = suppress({name: mentor_counts.get(pk, 0) for pk, name in hubs})
    figures = [HubFigures(name=name, mentees=mentees[name], mentors=mentors[name]) for _, name in hubs]
    return figures, mentees_total, mentors_total
