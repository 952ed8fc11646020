"""mentoring.policies.applicants: her hub's coordinators see her recruitment, and each look is logged."""

from __future__ import annotations

import pytest
from django.http import Http404

from mentoring.models import AccessLog
from mentoring.policies.applicants import applicants_visible_to, get_applicant_for_user

pytestmark = pytest.mark.django_db


def test_her_hubs_coordinator_gets_her_record_and_the_look_is_logged(nova, carys):
    assert get_applicant_for_user(carys, nova.pk, purpose="Her recruitment record") == nova
    entry = AccessLog.objects.get()
    assert (entry.user, entry.object_type, entry.object_id, entry.hub, entry.reason) == (
        carys,
        "mentoring.mentorapplicant",
        str(nova.pk),
        nova.hub,
        "Her recruitment record",
    )


@pytest.mark.parametrize("who", ["priya", "maz", "ann", "olu", "ros", "superuser"])
def test_nobody_else_sees_her_and_a_refusal_logs_nothing(nova, who, request):
    user = request.getfixturevalue(who)
    assert not applicants_visible_to(user).exists()
    with pytest.raises(Http404):
        get_applicant_for_user(user, nova.pk, purpose="Her recruitment record")
    assert not AccessLog.objects.exists()
