"""Reads, scoped by the policies, with the joins each page needs."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from mentoring import policies
from mentoring.models import Hub, Invitation, Membership, Mentee, Role, User


def mentee_list(*, user: User, search: str = "") -> QuerySet[Mentee]:
    mentees = policies.mentees_visible_to(user).select_related("hub")
    if search:
        mentees = mentees.filter(chosen_name__icontains=search.strip())
    return mentees.order_by("chosen_name", "pk")


def mentor_mentees(*, user: User) -> QuerySet[Mentee]:
    """Only the women she holds an object right on (her active pairs), never her hub's list."""
    return (
        policies.mentees_visible_to(user)
        .exclude(hub_id__in=policies.hub_ids_for(user, policies.MENTEE_CASEWORK_ROLES))
        .select_related("hub")
    )


def hubs_with_counts(*, user: User, roles: tuple[str, ...]) -> QuerySet[Hub]:
    return (
        policies.hubs_for(user, roles)
        .select_related("organisation")
        .annotate(
            mentee_count=Count("mentees", distinct=True),
            mentor_count=Count("memberships", filter=Q(memberships__role=Role.MENTOR), distinct=True),
        )
        .order_by("name")
    )


def people_for_admin(*, user: User) -> QuerySet[User]:
    hub_ids = policies.hub_ids_for(user, [Role.ORG_ADMIN])
    return (
        policies.people_visible_to(user)
        .prefetch_related(
            # Only the roles in hubs she administers: other organisations' hubs stay out of view.
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(hub_id__in=hub_ids)
                .select_related("hub")
                .order_by("hub__name", "role"),
                to_attr="visible_memberships",
            )
        )
        .order_by("display_name", "email")
    )


def invitations_for(*, user: User) -> QuerySet[Invitation]:
    return policies.invitations_visible_to(user).select_related("hub", "invited_by").order_by("-created_at")
