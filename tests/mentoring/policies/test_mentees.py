"""The mentee policy as a matrix: every named person against a mentee in her hub and one outside it;
the lists' casework half of the rule agrees with the whole."""

import pytest
from django.http import Http404

from demo.seed import seed_small
from mentoring.models import AccessLog, Role, User
from mentoring.policies.mentees import (
    MENTEE_CASEWORK_ROLES,
    can_view_mentee,
    casework_mentees,
    get_mentee_for_user,
    mentees_visible_to,
    revoke_mentee_view,
)
from mentoring.policies.people import hub_ids_for
from mentoring.services.mentees import mentee_create
from mentoring.services.people import membership_add
from tests.conftest import make_active_pair

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
    logged = AccessLog.objects.filter(
        object_type="mentoring.mentee", object_id=str(amber.pk), user=user, action=AccessLog.Action.VIEW
    )
    if sees_amber:
        assert get_mentee_for_user(user, amber.pk, purpose="Policy test") == amber
        assert list(logged.values_list("action", "reason")) == [(AccessLog.Action.VIEW, "Policy test")]
    else:
        with pytest.raises(Http404):
            get_mentee_for_user(user, amber.pk, purpose="Policy test")
        assert not logged.exists()  # a refusal reads nothing, so it logs nothing


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


# --- the lists' casework half of the rule ---


def casework_half(user: User, roles=MENTEE_CASEWORK_ROLES) -> set[int]:
    """The general rule's answer, restricted to the hubs where she holds these casework roles."""
    return set(mentees_visible_to(user).filter(hub_id__in=hub_ids_for(user, roles)).values_list("pk", flat=True))


def test_casework_mentees_is_the_general_rule_for_casework_staff(carys, maz, priya, hub, dee, bea):
    seed_small()
    # Priya coordinates Kingsmere and also mentors a woman in Saltmarsh Bay: her pair's right
    # is in the general rule, but not in her casework hubs.
    membership_add(user=priya, hub=hub, role=Role.MENTOR)
    make_active_pair(mentee_create(hub=hub, chosen_name="Wren", acting_user=carys), priya, carys)
    staff = [carys, maz, priya, *User.objects.filter(memberships__role__in=MENTEE_CASEWORK_ROLES).distinct()]
    assert len({user.pk for user in staff}) >= 6  # ours and the demo's coordinators and safeguarding lead
    for user in staff:
        mine = set(casework_mentees(user).values_list("pk", flat=True))
        assert mine == casework_half(user), user.email
        assert mine, user.email
        for role in MENTEE_CASEWORK_ROLES:
            assert set(casework_mentees(user, (role,)).values_list("pk", flat=True)) == casework_half(user, (role,))
    assert set(mentees_visible_to(priya)) - set(casework_mentees(priya))  # the restriction did something


def test_casework_mentees_is_nothing_for_a_mentor_and_refuses_other_roles(dee, amber, carys):
    assert set(mentees_visible_to(dee)) == {amber}
    assert not casework_mentees(dee).exists()
    for roles in ((Role.MENTOR,), (Role.COORDINATOR, Role.MENTOR), (Role.ORG_ADMIN,), (Role.DECISION_MAKER,)):
        with pytest.raises(ValueError):
            casework_mentees(dee, roles)
        with pytest.raises(ValueError):
            casework_mentees(carys, roles)
