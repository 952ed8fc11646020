"""The mentee policy as a matrix: every named person against a mentee in her hub and one outside it."""

import pytest
from django.http import Http404

from mentoring.policies.mentees import can_view_mentee, get_mentee_for_user, mentees_visible_to, revoke_mentee_view
from mentoring.policies.people import invitable_roles

pytestmark = pytest.mark.django_db

# who -> (sees amber in Saltmarsh Bay, sees bea in Kingsmere)
EXPECTED = {
    "coordinator": (True, False),
    "safeguarding_lead": (True, False),
    "decision_maker": (False, False),
    "org_admin": (False, False),
    "mentor_unpaired": (False, False),
    "mentor_paired": (True, False),
    "other_hub_coordinator": (False, True),
    "superuser": (False, False),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_mentee_visibility(who, everyone, amber, bea):
    user = everyone[who]
    sees_amber, sees_bea = EXPECTED[who]
    assert can_view_mentee(user, amber) is sees_amber
    assert can_view_mentee(user, bea) is sees_bea
    assert set(mentees_visible_to(user)) == {m for m, seen in ((amber, sees_amber), (bea, sees_bea)) if seen}
    if not sees_amber:
        with pytest.raises(Http404):
            get_mentee_for_user(user, amber.pk)


def test_inactive_and_anonymous_see_nothing(carys, amber):
    from django.contrib.auth.models import AnonymousUser

    assert not mentees_visible_to(AnonymousUser()).exists()  # type: ignore[arg-type]
    carys.is_active = False
    carys.save()
    carys._alongside_roles = None
    assert not can_view_mentee(carys, amber)


def test_revoking_the_mentors_right_hides_her_at_once(dee, amber):
    assert can_view_mentee(dee, amber)
    revoke_mentee_view(dee, amber)
    assert not can_view_mentee(dee, amber)


def test_a_model_wide_permission_grants_nothing(ros, amber):
    """guardian is asked with global permissions off: a model-level right must not leak every mentee."""
    from django.contrib.auth.models import Permission

    ros.user_permissions.add(Permission.objects.get(codename="view_mentee"))
    assert not can_view_mentee(ros, amber)


@pytest.mark.parametrize(
    ("who", "roles"),
    [
        ("org_admin", {"org_admin", "coordinator", "mentor", "safeguarding_lead", "decision_maker"}),
        ("coordinator", {"mentor"}),
        ("mentor_unpaired", set()),
        ("decision_maker", set()),
        ("superuser", set()),
    ],
)
def test_who_may_invite_whom(who, roles, everyone, hub):
    assert set(invitable_roles(everyone[who], hub)) == roles
