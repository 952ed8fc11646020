"""mentoring.services.matching: a hub's matching weights."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentoring.models import MatchingSettings
from mentoring.services.matching import matching_settings_update

pytestmark = pytest.mark.django_db


def test_matching_weights_are_the_org_admins(hub, olu, carys):
    settings = matching_settings_update(hub=hub, language=25, priority_needs=4, acting_user=olu)
    assert (settings.language, settings.priority_needs, settings.area) == (25, 4, 10)
    with pytest.raises(PermissionDenied):
        matching_settings_update(hub=hub, language=1, acting_user=carys)
    with pytest.raises(ValidationError):
        matching_settings_update(hub=hub, priority_needs=0, acting_user=olu)
    assert MatchingSettings.objects.get(hub=hub).priority_needs == 4
