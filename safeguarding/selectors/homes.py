"""The safeguarding home: her hubs, and the latest entries of their access log."""

from __future__ import annotations

from django.db.models import QuerySet

from mentoring.models import Hub, User
from safeguarding.policies.access_log import access_log_hub_ids


def safeguarding_hubs(*, user: User) -> QuerySet[Hub]:
    """The hubs where she is safeguarding lead, by name: their names are all the page shows."""
    return Hub.objects.filter(pk__in=access_log_hub_ids(user)).only("name").order_by("name")
