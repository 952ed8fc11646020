"""Roles per hub, invitations and the people an org admin manages.

Every other policy builds on these: scope follows the hub, her memberships are read once per
request, and nothing here passes on is_superuser (running the system gives no right to read).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone

from mentoring.models import (
    STAFF_ROLES,
    Hub,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
)


def is_active_user(user: object) -> bool:
    """A signed-in, active person who may act in the app. Every policy starts here.

    Superusers run the system (the operations admin); that gives no right to read or act on
    anyone's record, so every policy treats them as holding no role, even if a membership
    was made for one behind the app's back.
    """
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and not getattr(user, "is_superuser", False)
    )


def may_manage_person(actor: User, person: User) -> bool:
    """An org admin manages the people who hold a role in one of her hubs, never herself."""
    if not is_active_user(actor) or person.pk == actor.pk:
        return False
    return Membership.objects.filter(user_id=person.pk, hub_id__in=hub_ids_for(actor, [Role.ORG_ADMIN])).exists()


def memberships_of(user: User) -> list[tuple[int, str, str]]:
    """Her (hub, role, hub name) triples, read once and kept on the user object for the request:
    every page asks several policies, and each would otherwise query the same rows again.
    A request's user comes with them already (`user_for_request`); services.membership_add
    clears them."""
    cached: list[tuple[int, str, str]] | None = getattr(user, "_alongside_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).values_list("hub_id", "role", "hub__name"))
        user._alongside_memberships = cached  # type: ignore[attr-defined]
    return cached


def user_for_request(user_id: int | str) -> User | None:
    """The signed-in user, her memberships and whether she has set up two-factor sign-in, in one
    query: every page needs the first two and every staff page the third, so each request reads
    them together rather than one after the other."""
    memberships = ArraySubquery(
        Membership.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values(triple=JSONObject(hub="hub_id", role="role", name="hub__name"))
    )
    user = (
        User.objects.annotate(
            alongside_memberships=memberships,
            alongside_has_mfa=Exists(Authenticator.objects.filter(user=OuterRef("pk"))),
        )
        .filter(pk=user_id)
        .first()
    )
    if user is not None:
        rows = user.__dict__.pop("alongside_memberships") or []
        user._alongside_memberships = [(row["hub"], row["role"], row["name"]) for row in rows]  # type: ignore[attr-defined]
    return user


def two_factor_as_read(user: User) -> bool | None:
    """Whether she had an authenticator when her account was read for this request (None: not
    read that way). For checks made before any view runs: a view that adds or removes one asks
    allauth afresh."""
    return getattr(user, "alongside_has_mfa", None)


def forget_memberships(user: User) -> None:
    # delattr, not the instance dict: request.user is a lazy proxy, whose own dict isn't hers.
    with contextlib.suppress(AttributeError):
        del user._alongside_memberships  # type: ignore[attr-defined]


def roles_of(user: User) -> set[str]:
    """Every role she holds in any hub."""
    if not is_active_user(user):
        return set()
    return {role for _, role, _ in memberships_of(user)}


def has_role(user: User, role: str) -> bool:
    return role in roles_of(user)


def is_staff_member(user: User) -> bool:
    """Holds a staff role (MFA applies). Mentors are volunteers; is_staff is operations only."""
    return bool(roles_of(user) & STAFF_ROLES)


def hubs_for(user: User, roles: Iterable[str]) -> QuerySet[Hub]:
    if not is_active_user(user):
        return Hub.objects.none()
    return Hub.objects.filter(memberships__user=user, memberships__role__in=list(roles)).distinct()


def hub_ids_for(user: User, roles: Iterable[str]) -> list[int]:
    if not is_active_user(user):
        return []
    wanted = set(roles)
    return sorted({hub_id for hub_id, role, _ in memberships_of(user) if role in wanted})


def hub_choices(user: User, roles: Iterable[str]) -> list[tuple[int, str]]:
    """(id, name) of the hubs where she holds these roles, by name: for filter menus, from
    the memberships already read for this request."""
    if not is_active_user(user):
        return []
    wanted = set(roles)
    return sorted(
        {(hub_id, name) for hub_id, role, name in memberships_of(user) if role in wanted}, key=lambda h: (h[1], h[0])
    )


def coordinator_hub_ids(user: User) -> list[int]:
    return hub_ids_for(user, [Role.COORDINATOR])


def is_coordinator_in(user: User, hub: Hub | int) -> bool:
    """Her hub's coordinators do intake, run the mentor records, match and run the pairs."""
    hub_id = hub if isinstance(hub, int) else hub.pk
    return is_active_user(user) and hub_id in coordinator_hub_ids(user)


def require_coordinator(user: User, hub: Hub | int) -> None:
    """For services: refuse a write by anyone who is not a coordinator of this hub."""
    if not is_coordinator_in(user, hub):
        raise PermissionDenied("Only a coordinator of this hub can do that.")


# Who may invite whom: an org admin any role in her hubs; a coordinator mentors in hers.
INVITABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.ORG_ADMIN: tuple(Role.values),
    Role.COORDINATOR: (Role.MENTOR,),
}


def invitable_roles(user: User, hub: Hub) -> list[str]:
    held = (
        set(Membership.objects.filter(user=user, hub=hub).values_list("role", flat=True))
        if is_active_user(user)
        else set()
    )
    allowed: set[str] = set()
    for role in held:
        allowed.update(INVITABLE_ROLES.get(role, ()))
    return [value for value in Role.values if value in allowed]


def hubs_where_can_invite(user: User) -> QuerySet[Hub]:
    return hubs_for(user, INVITABLE_ROLES.keys())


def can_invite(user: User, hub: Hub, role: str) -> bool:
    return role in invitable_roles(user, hub)


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Invitations to the hubs where she may invite, limited to the roles she may invite."""
    if not is_active_user(user):
        return Invitation.objects.none()
    query = Q(pk__in=[])
    for role, roles in INVITABLE_ROLES.items():
        query |= Q(hub_id__in=hub_ids_for(user, [role]), role__in=roles)
    return Invitation.objects.filter(query)


def invitations_to_administered_hubs(user: User) -> QuerySet[Invitation]:
    """The org admin's half of `invitations_visible_to` alone: every invitation to the hubs she
    administers (she may invite any role there), without the general query's per-role terms.
    The organisation page uses it; tests check it is the general rule's answer for her hubs."""
    if not is_active_user(user):
        return Invitation.objects.none()
    return Invitation.objects.filter(hub_id__in=hub_ids_for(user, [Role.ORG_ADMIN]))


def get_invitation_for_user(user: User, pk: int) -> Invitation:
    try:
        return invitations_visible_to(user).select_related("hub").get(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation.") from None


def people_visible_to(user: User) -> QuerySet[User]:
    """People holding any role in the hubs she administers (org admin only)."""
    return User.objects.filter(memberships__hub_id__in=hub_ids_for(user, [Role.ORG_ADMIN])).distinct()


def get_person_for_admin(user: User, pk: int) -> User:
    """Another person an org admin may manage (never herself: no locking yourself out)."""
    try:
        person = people_visible_to(user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404("No such person.") from None
    if person.pk == user.pk:
        raise Http404("No such person.")
    return person


def get_membership_for_admin(user: User, person: User, pk: int) -> Membership:
    """One of `person`'s roles in a hub this org admin administers (`person` from
    `get_person_for_admin`); any other answers 404, as a role that doesn't exist does."""
    try:
        return Membership.objects.select_related("hub").get(
            pk=pk, user_id=person.pk, hub_id__in=hub_ids_for(user, [Role.ORG_ADMIN])
        )
    except Membership.DoesNotExist:
        raise Http404("No such role.") from None


def is_last_org_admin(person: User, organisation_id: int) -> bool:
    """Would the organisation be left with nobody to manage its people and hubs without her?
    Only active people count: a deactivated org admin can't sign in to do it."""
    return not (
        Membership.objects.filter(
            hub__organisation_id=organisation_id,
            role=Role.ORG_ADMIN,
            user__is_active=True,
            user__is_superuser=False,
        )
        .exclude(user_id=person.pk)
        .exists()
    )


def can_use_role_home(user: User, role: str) -> bool:
    return has_role(user, role)


def organisations_administered(user: User) -> list[int]:
    """Ids of the organisations where she is an org admin of at least one hub, each once.

    Read from the memberships already held for the request: a query of hubs would carry the
    hub's default ordering (by name) into its DISTINCT and answer once per hub."""
    if not is_active_user(user):
        return []
    return [organisation_id for organisation_id, _ in organisation_choices(user)]


def organisation_choices(user: User) -> list[tuple[int, str]]:
    """(id, name) of the organisations she administers a hub of, each once, by name: for menus."""
    if not is_active_user(user):
        return []
    return list(
        Organisation.objects.filter(hubs__pk__in=hub_ids_for(user, [Role.ORG_ADMIN]))
        .distinct()
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def get_hub_for_admin(user: User, pk: int) -> Hub:
    try:
        return hubs_for(user, [Role.ORG_ADMIN]).get(pk=pk)
    except Hub.DoesNotExist:
        raise Http404("No such hub.") from None


ADDRESS_TAKEN = (
    "That address can't be used: it belongs to another account or is waiting for an invitation to be "
    "accepted. Check it, or ask your organisation admin."
)


def address_held_by_another_account(email: str, *, user: User | None = None) -> bool:
    """Is this address another account's, as its login or as an address it has added (verified or
    not)? Compared without case: mail to either spelling reaches the same person."""
    email = email.strip()
    users = User.objects.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if user is not None and user.pk is not None:
        users = users.exclude(pk=user.pk)
        addresses = addresses.exclude(user_id=user.pk)
    return users.exists() or addresses.exists()


def address_awaits_invitation(email: str) -> bool:
    """A pending invitation (not accepted, withdrawn or expired) was sent to this address."""
    return Invitation.objects.filter(
        email__iexact=email.strip(), status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
    ).exists()


def address_is_taken(email: str, *, user: User | None = None) -> bool:
    """May `user` (None: a new account) not take this address? Another account holds it, or an
    invitation to it is waiting: taking an invitee's address would lock the real invitee out
    (an invitation makes a new account only) and send her link's account to the wrong person."""
    return address_held_by_another_account(email, user=user) or address_awaits_invitation(email)
