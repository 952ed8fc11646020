"""Writes of a hub's matching settings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mentoring.models import (
    Hub,
    MatchingSettings,
    Role,
    User,
)
from mentoring.policies.people import hubs_for


@transaction.atomic
def matching_settings_update(*, hub: Hub, acting_user: User, **weights: int) -> MatchingSettings:
    if not hubs_for(acting_user, [Role.ORG_ADMIN]).filter(pk=hub.pk).exists():
        raise PermissionDenied("Only an org admin can change a hub's matching weights.")
    settings, _ = MatchingSettings.objects.get_or_create(hub=hub)
    for name, value in weights.items():
        if name not in (*MatchingSettings.WEIGHT_FIELDS, "priority_needs"):
            raise ValueError(f"Not a matching setting: {name}")
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    return settings
