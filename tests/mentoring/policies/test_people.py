"""mentoring.policies.people: who may invite whom, which invitations she sees, and which addresses
are taken."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from mentoring.models import Invitation, Membership, Role
from mentoring.policies.mentees import can_view_mentee, mentees_visible_to
from mentoring.policies.people import (
    address_is_taken,
    has_role,
    hub_ids_for,
    invitable_roles,
    invitations_to_administered_hubs,
    invitations_visible_to,
    roles_of,
)
from mentoring.services.people import invitation_create, invitation_revoke, membership_add
from tests.conftest import make_person
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db


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


def test_invitations_to_administered_hubs_is_the_general_rule_for_her_hubs(olu, hub, other_hub, priya, organisation):
    # Olu administers Saltmarsh Bay, coordinates Harbourside (so sees its mentor invitations
    # through the general rule) and has no role in Kingsmere.
    harbourside = HubFactory.create(organisation=organisation, name="Harbourside", slug="harbourside")
    membership_add(user=olu, hub=harbourside, role=Role.COORDINATOR)
    kingsmere_admin = make_person("admin.k@example.test", "Kay", other_hub, Role.ORG_ADMIN)
    harbourside_admin = make_person("admin.h@example.test", "Hal", harbourside, Role.ORG_ADMIN)
    for n, role in enumerate(Role.values):
        invitation_create(email=f"s{n}@example.test", hub=hub, role=role, invited_by=olu)
        invitation_create(email=f"k{n}@example.test", hub=other_hub, role=role, invited_by=kingsmere_admin)
        invitation_create(email=f"h{n}@example.test", hub=harbourside, role=role, invited_by=harbourside_admin)
    invitation_create(email="k-mentor@example.test", hub=other_hub, role=Role.MENTOR, invited_by=priya)
    revoked = invitation_create(email="gone@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    invitation_revoke(invitation=revoked, acting_user=olu)

    hers = set(invitations_to_administered_hubs(olu).values_list("pk", flat=True))
    general = invitations_visible_to(olu).filter(hub_id__in=hub_ids_for(olu, [Role.ORG_ADMIN]))
    assert hers == set(general.values_list("pk", flat=True))
    assert hers == set(Invitation.objects.filter(hub=hub).values_list("pk", flat=True))
    assert len(hers) == len(Role.values) + 1
    # Not vacuous: the general rule shows her more (Harbourside's mentors), and Kingsmere's stay out.
    assert set(invitations_visible_to(olu).values_list("pk", flat=True)) - hers
    assert not invitations_to_administered_hubs(olu).filter(hub__in=[other_hub, harbourside]).exists()


def test_a_superuser_holds_no_role_even_with_a_membership_made_behind_the_apps_back(superuser, hub, amber):
    # The admin no longer lets anyone add one, and the services refuse; a row written in a shell
    # still counts for nothing.
    Membership.objects.create(user=superuser, hub=hub, role=Role.COORDINATOR)
    assert roles_of(superuser) == set()
    assert hub_ids_for(superuser, [Role.COORDINATOR]) == []
    assert not can_view_mentee(superuser, amber)
    assert not mentees_visible_to(superuser).exists()
    assert not invitations_visible_to(superuser).exists()


def test_an_address_is_taken_by_another_accounts_login_or_added_address_in_any_case(ros, carys):
    assert address_is_taken("CARYS@example.test", user=ros)
    assert address_is_taken("carys@example.test")  # a new account
    assert not address_is_taken("Ros@Example.test", user=ros)  # her own
    EmailAddress.objects.create(user=carys, email="carys.home@example.test", verified=False)
    assert address_is_taken("Carys.Home@example.test", user=ros)
    assert not address_is_taken("carys.home@example.test", user=carys)
    assert not address_is_taken("nobody@example.test", user=ros)


def test_an_address_is_taken_while_an_invitation_to_it_waits(ros, olu, hub):
    invitation = invitation_create(email="invitee@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    assert address_is_taken("Invitee@example.test", user=ros)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not address_is_taken("invitee@example.test", user=ros)  # expired, even before the job marks it
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    for status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED, Invitation.Status.EXPIRED):
        Invitation.objects.filter(pk=invitation.pk).update(status=status)
        assert not address_is_taken("invitee@example.test", user=ros)


def test_each_organisation_she_administers_is_named_once(olu, hub, other_hub, organisation):
    from mentoring.policies.people import forget_memberships, organisation_choices, organisations_administered
    from tests.factories import OrganisationFactory

    membership_add(user=olu, hub=other_hub, role=Role.ORG_ADMIN)
    second = OrganisationFactory.create(name="Another Women's Centre", slug="another")
    membership_add(user=olu, hub=HubFactory.create(organisation=second), role=Role.ORG_ADMIN)
    membership_add(user=olu, hub=HubFactory.create(organisation=second), role=Role.ORG_ADMIN)
    forget_memberships(olu)
    assert sorted(organisations_administered(olu)) == sorted([organisation.pk, second.pk])
    assert organisation_choices(olu) == sorted(
        [(organisation.pk, organisation.name), (second.pk, second.name)], key=lambda c: c[1]
    )


def test_a_requests_user_comes_with_her_memberships_in_one_query(olu, hub, django_assert_num_queries):
    from mentoring.policies.people import memberships_of, two_factor_as_read, user_for_request

    second = HubFactory.create(organisation=hub.organisation, name="Second hub")
    membership_add(user=olu, hub=second, role=Role.COORDINATOR, acting_user=olu)
    with django_assert_num_queries(1):
        user = user_for_request(olu.pk)
        assert user is not None
        held = sorted(memberships_of(user))
    assert held == sorted(Membership.objects.filter(user=olu).values_list("hub_id", "role", "hub__name"))
    assert (second.pk, Role.COORDINATOR, "Second hub") in held
    assert two_factor_as_read(user) is True  # olu has set up TOTP
    assert user_for_request(0) is None


@pytest.mark.parametrize("who", ["mentor_unpaired", "coordinator"])
def test_a_signed_in_page_reads_her_session_and_her_account_with_roles_and_nothing_more(client, everyone, who):
    """A mentor's or a coordinator's (whose two-factor set-up is checked on every page) alike."""
    from django.urls import reverse

    from tests.querycount import count_queries

    client.force_login(everyone[who])
    client.get(reverse("ping"))  # the first request records her device
    assert count_queries(client, reverse("ping")) == 2


def test_a_role_given_mid_request_counts_at_once_for_the_requests_own_lazy_user(ros, other_hub):
    from typing import cast

    from django.utils.functional import SimpleLazyObject

    from mentoring.models import User
    from mentoring.policies.people import forget_memberships

    user = cast(User, SimpleLazyObject(lambda: ros))  # as request.user is
    assert not has_role(user, Role.COORDINATOR)  # her roles read and kept for the request
    Membership.objects.create(user=ros, hub=other_hub, role=Role.COORDINATOR)
    forget_memberships(user)
    assert has_role(user, Role.COORDINATOR)
    forget_memberships(ros)  # nothing kept: nothing to forget
