"""Reads for the role home pages: counts per hub."""

from __future__ import annotations

from django.db.models import Count

from mentoring.models import (
    Hub,
    Membership,
    Mentee,
    Role,
    User,
)
from mentoring.policies.people import hub_ids_for


def hub_counts(hub_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Women and mentors per hub: one grouped count per kind, each read from an index on hub.

    Counting both through one join from the hub multiplies every woman by every mentor
    membership before DISTINCT takes it back.
    """
    mentees = dict(
        Mentee.objects.filter(hub_id__in=hub_ids)
        .order_by()
        .values("hub_id")
        .annotate(n=Count("*"))  # COUNT(id) would read every row; COUNT(*) reads the index alone
        .values_list("hub_id", "n")
    )
    # A membership is unique per person, hub and role, so its rows count mentors.
    mentors = dict(
        Membership.objects.filter(hub_id__in=hub_ids, role=Role.MENTOR)
        .order_by()
        .values("hub_id")
        .annotate(n=Count("*"))
        .values_list("hub_id", "n")
    )
    return mentees, mentors


def hubs_with_counts(*, user: User, roles: tuple[str, ...]) -> list[Hub]:
    """Her hubs (for these roles), by name, each with `mentee_count` and `mentor_count`."""
    hub_ids = hub_ids_for(user, roles)
    hubs = list(Hub.objects.filter(pk__in=hub_ids).order_by("name"))
    mentees, mentors = hub_counts(hub_ids)
    for hub in hubs:
        hub.mentee_count = mentees.get(hub.pk, 0)  # type: ignore[attr-defined]
        hub.mentor_count = mentors.get(hub.pk, 0)  # type: ignore[attr-defined]
    return hubs
