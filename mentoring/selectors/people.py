"""Reads for the organisation page: hubs, people and their roles, invitations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from allauth.mfa.models import Authenticator
from django.db.models import Count, Q, QuerySet

from mentoring.models import (
    STAFF_ROLES,
    Hub,
    Invitation,
    Membership,
    Role,
    User,
)
from mentoring.policies.people import (
    address_held_by_another_account,
    hub_ids_for,
    invitations_to_administered_hubs,
    invitations_visible_to,
)

# What counts as two-factor sign-in: an authenticator app or a security key. Recovery codes are a
# way back in when those are lost, not a second factor of their own.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class HubRow(TypedDict):
    pk: int
    name: str
    area_description: str
    review_interval_weeks: int
    organisation__name: str


def hubs_administered(*, user: User) -> list[HubRow]:
    """Her org-admin hubs by name, as rows: pk, name, area_description, review_interval_weeks,
    organisation__name."""
    return list(
        Hub.objects.filter(pk__in=hub_ids_for(user, [Role.ORG_ADMIN]))
        .order_by("name")
        .values("pk", "name", "area_description", "review_interval_weeks", "organisation__name")
    )


@dataclass(frozen=True)
class PeopleFilters:
    search: str = ""
    role: str = ""


class PersonValues(TypedDict):
    pk: int
    display_name: str
    email: str
    is_active: bool
    last_login: datetime | None


def people_for_admin(*, user: User, filters: PeopleFilters | None = None) -> QuerySet[User, PersonValues]:
    """Everyone holding a role in the hubs she administers, as rows of pk, display_name, email,
    is_active and last_login (page them, then see `with_visible_roles`).

    Scoped by her hub ids as a semi-join rather than a join and DISTINCT, so that the first
    pages walk the name-order index (migration 0009) and stop after 25 people.
    """
    filters = filters or PeopleFilters()
    memberships = Membership.objects.filter(hub_id__in=hub_ids_for(user, [Role.ORG_ADMIN]))
    if filters.role:
        memberships = memberships.filter(role=filters.role)
    people = User.objects.filter(pk__in=memberships.values("user_id"))
    if search := filters.search.strip():
        people = people.filter(Q(display_name__icontains=search) | Q(email__icontains=search))
    return people.order_by("display_name", "email", "pk").values(
        "pk", "display_name", "email", "is_active", "last_login"
    )


def count_people_for_admin(*, user: User, filters: PeopleFilters) -> int:
    """How many `people_for_admin` finds. Without a search, counted from the memberships
    alone (their index), not by checking every person against them."""
    if filters.search.strip():
        return people_for_admin(user=user, filters=filters).count()
    memberships = Membership.objects.filter(hub_id__in=hub_ids_for(user, [Role.ORG_ADMIN]))
    if filters.role:
        memberships = memberships.filter(role=filters.role)
    return memberships.aggregate(n=Count("user_id", distinct=True))["n"]


class PersonRow(TypedDict):
    pk: int
    name: str  # display name, else email
    email: str
    is_active: bool
    last_login: datetime | None
    roles: list[str]  # "Role (Hub)", by hub then role
    has_two_factor: bool  # an authenticator app or security key (recovery codes alone are not one)
    needs_two_factor: bool  # holds a staff role in these hubs, and staff must sign in with two factors


def with_visible_roles(*, people: Iterable[PersonValues], hubs: list[HubRow]) -> list[PersonRow]:
    """Each person with her roles in these hubs only (the admin's, from `hubs_administered`),
    so other organisations' hubs stay out of view, and whether she has two-factor sign-in set
    up. Plain rows, named from those hubs: someone with a role in each of 20 hubs would
    otherwise cost 40 model objects. Two queries, however many people are on the page."""
    people = list(people)
    ids = [person["pk"] for person in people]
    hub_names = {hub["pk"]: hub["name"] for hub in hubs}
    labels = dict(Role.choices)
    rows = Membership.objects.filter(user_id__in=ids, hub_id__in=hub_names).values_list("user_id", "role", "hub_id")
    roles: dict[int, list[tuple[str, str]]] = {person["pk"]: [] for person in people}
    for user_id, role, hub_id in rows:
        roles[user_id].append((hub_names[hub_id], role))
    with_two_factor = set(
        Authenticator.objects.filter(user_id__in=ids, type__in=SECOND_FACTORS).values_list("user_id", flat=True)
    )
    return [
        PersonRow(
            pk=person["pk"],
            name=person["display_name"] or person["email"],
            email=person["email"],
            is_active=person["is_active"],
            last_login=person["last_login"],
            roles=[f"{labels.get(role, role)} ({hub})" for hub, role in sorted(roles[person["pk"]])],
            has_two_factor=person["pk"] in with_two_factor,
            needs_two_factor=any(role in STAFF_ROLES for _, role in roles[person["pk"]]),
        )
        for person in people
    ]


class RoleRow(TypedDict):
    pk: int  # the membership's
    label: str  # "Role (hub)"
    role: str
    hub_name: str


def roles_in_administered_hubs(*, user: User, person: User) -> list[RoleRow]:
    """Her roles in the hubs this org admin administers, by hub then role."""
    labels = dict(Role.choices)
    rows = (
        Membership.objects.filter(user=person, hub_id__in=hub_ids_for(user, [Role.ORG_ADMIN]))
        .order_by("hub__name", "role")
        .values_list("pk", "role", "hub__name")
    )
    return [
        RoleRow(pk=pk, label=f"{labels.get(role, role)} ({hub})", role=role, hub_name=hub) for pk, role, hub in rows
    ]


def is_her_last_role(*, membership: Membership) -> bool:
    """Is this the only role she holds, in any hub? Without it she can't use Alongside at all."""
    return not Membership.objects.filter(user_id=membership.user_id).exclude(pk=membership.pk).exists()


def email_has_account(email: str) -> bool:
    return address_held_by_another_account(email)


def invitations_for(*, user: User) -> QuerySet[Invitation]:
    return invitations_visible_to(user).select_related("hub").order_by("-created_at")


def invitations_to_administered_hubs_for(*, user: User) -> QuerySet[Invitation]:
    """Invitations to the hubs she administers, newest first: the organisation page's list."""
    return invitations_to_administered_hubs(user).select_related("hub").order_by("-created_at")
