"""Who may do what in the mentoring app: yes/no checks and the matching querysets side by side.

Rules (DESIGN.md, "Who may see what"):
- scope follows the hub: staff see records of the hubs where they hold a role;
- a mentor sees a mentee only through an object right (guardian), given while a pair is active;
- decision makers and org admins never see a woman's record;
- nothing here passes on is_superuser: running the system gives no right to read content.

guardian is called here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from mentoring.models import (
    STAFF_ROLES,
    Hub,
    Invitation,
    Membership,
    Mentee,
    MenteeGroupObjectPermission,
    MenteeUserObjectPermission,
    Mentor,
    Pair,
    PairStatus,
    RecordedRelationship,
    Role,
    User,
)

MENTEE_CASEWORK_ROLES = (Role.COORDINATOR, Role.SAFEGUARDING_LEAD)


def _is_active_user(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


# --- roles and hubs ---


def _memberships(user: User) -> list[tuple[int, str, str]]:
    """Her (hub, role) pairs, read once and kept on the user object for the request: every
    page asks several policies, and each would otherwise query the same rows again.
    services.membership_add clears it."""
    cached: list[tuple[int, str, str]] | None = getattr(user, "_alongside_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).values_list("hub_id", "role", "hub__name"))
        user._alongside_memberships = cached  # type: ignore[attr-defined]
    return cached


def forget_memberships(user: User) -> None:
    user.__dict__.pop("_alongside_memberships", None)


def roles_of(user: User) -> set[str]:
    """Every role she holds in any hub."""
    if not _is_active_user(user):
        return set()
    return {role for _, role, _ in _memberships(user)}


def has_role(user: User, role: str) -> bool:
    return role in roles_of(user)


def is_staff_member(user: User) -> bool:
    """Holds a staff role (MFA applies). Mentors are volunteers; is_staff is operations only."""
    return bool(roles_of(user) & STAFF_ROLES)


def hubs_for(user: User, roles: Iterable[str]) -> QuerySet[Hub]:
    if not _is_active_user(user):
        return Hub.objects.none()
    return Hub.objects.filter(memberships__user=user, memberships__role__in=list(roles)).distinct()


def hub_ids_for(user: User, roles: Iterable[str]) -> list[int]:
    if not _is_active_user(user):
        return []
    wanted = set(roles)
    return sorted({hub_id for hub_id, role, _ in _memberships(user) if role in wanted})


def hub_choices(user: User, roles: Iterable[str]) -> list[tuple[int, str]]:
    """(id, name) of the hubs where she holds these roles, by name: for filter menus, from
    the memberships already read for this request."""
    if not _is_active_user(user):
        return []
    wanted = set(roles)
    return sorted(
        {(hub_id, name) for hub_id, role, name in _memberships(user) if role in wanted}, key=lambda h: (h[1], h[0])
    )


# --- mentees ---


def mentees_visible_to(user: User) -> QuerySet[Mentee]:
    """Mentees of her casework hubs, plus any she holds an object right on (a mentor's active pair)."""
    if not _is_active_user(user):
        return Mentee.objects.none()
    granted = get_objects_for_user(
        user,
        "mentoring.view_mentee",
        klass=Mentee,
        accept_global_perms=False,
        with_superuser=False,
    ).values("pk")
    return Mentee.objects.filter(Q(hub_id__in=hub_ids_for(user, MENTEE_CASEWORK_ROLES)) | Q(pk__in=granted))


def _holds_view_right(user: User, mentee: Mentee) -> bool:
    """The object right a mentor holds while her pair is active (guardian's direct tables)."""
    return (
        MenteeUserObjectPermission.objects.filter(
            user=user, content_object_id=mentee.pk, permission__codename="view_mentee"
        ).exists()
        or MenteeGroupObjectPermission.objects.filter(
            group__user=user, content_object_id=mentee.pk, permission__codename="view_mentee"
        ).exists()
    )


def mentee_ids_granted_to(user: User) -> QuerySet[MenteeUserObjectPermission, Any]:
    """Ids of the women she holds the object right on (a mentor's active pairs), as a subquery."""
    if not _is_active_user(user):
        return MenteeUserObjectPermission.objects.none().values("content_object_id")
    return MenteeUserObjectPermission.objects.filter(user_id=user.pk, permission__codename="view_mentee").values(
        "content_object_id"
    )


def can_view_mentee(user: User, mentee: Mentee) -> bool:
    """The same rule as mentees_visible_to, for one woman, without building the list's query."""
    if not _is_active_user(user):
        return False
    return mentee.hub_id in hub_ids_for(user, MENTEE_CASEWORK_ROLES) or _holds_view_right(user, mentee)


def can_see_full_record(user: User, mentee: Mentee) -> bool:
    """Casework staff of her hub see her whole record; a mentor sees only what she agreed to share."""
    return _is_active_user(user) and mentee.hub_id in hub_ids_for(user, MENTEE_CASEWORK_ROLES)


def can_reveal_legal_name(user: User, mentee: Mentee) -> bool:
    """Only casework staff of her hub; a mentor never sees a legal name."""
    return can_see_full_record(user, mentee)


def can_do_intake(user: User, hub_id: int) -> bool:
    """Referral, her record, consents, assessments and goals are written by her hub's coordinators."""
    return _is_active_user(user) and hub_id in hub_ids_for(user, [Role.COORDINATOR])


def can_edit_mentee(user: User, mentee: Mentee) -> bool:
    return can_do_intake(user, mentee.hub_id)


MENTEE_ACTIONS = {
    "view": can_view_mentee,
    "view_full": can_see_full_record,
    "edit": can_edit_mentee,
    "reveal_legal_name": can_reveal_legal_name,
}


def get_mentee_for_user(user: User, pk: int, action: str = "view") -> Mentee:
    """The mentee, or 404 for anyone who may not see her (the same answer as 'no such record')."""
    mentee = Mentee.objects.select_related("hub").filter(pk=pk).first()
    if mentee is None or not can_view_mentee(user, mentee):
        raise Http404("No such record.")
    if action != "view" and not MENTEE_ACTIONS[action](user, mentee):
        # She can be seen by this person, but not acted on this way. A mentor asking for the
        # full record, or for an edit, gets the same answer as a stranger: nothing is here.
        raise Http404("No such record.")
    return mentee


def grant_mentee_view(user: User, mentee: Mentee) -> None:
    assign_perm("view_mentee", user, mentee)


def revoke_mentee_view(user: User, mentee: Mentee) -> None:
    remove_perm("view_mentee", user, mentee)


# --- mentors, matching and pairs ---
#
# Mentor records (stages, DBS, training, references, lived experience) and the matching and
# pairing work belong to her hub's coordinators. Safeguarding leads, decision makers and org
# admins don't see them; a mentor sees her own training and DBS status on her home page.


def coordinator_hub_ids(user: User) -> list[int]:
    return hub_ids_for(user, [Role.COORDINATOR])


def mentors_visible_to(user: User) -> QuerySet[Mentor]:
    return Mentor.objects.filter(hub_id__in=coordinator_hub_ids(user))


def get_mentor_for_user(user: User, pk: int) -> Mentor:
    try:
        return mentors_visible_to(user).select_related("hub", "hub__organisation", "user").get(pk=pk)
    except Mentor.DoesNotExist:
        raise Http404("No such record.") from None


def can_match_in_hub(user: User, hub_id: int) -> bool:
    return _is_active_user(user) and hub_id in coordinator_hub_ids(user)


def get_hub_for_coordinator(user: User, pk: int) -> Hub:
    try:
        return hubs_for(user, [Role.COORDINATOR]).get(pk=pk)
    except Hub.DoesNotExist:
        raise Http404("No such hub.") from None


def pairs_visible_to(user: User) -> QuerySet[Pair]:
    """Pairs of her hubs, for coordinators. A mentor reaches her own through her home page."""
    return Pair.objects.filter(hub_id__in=coordinator_hub_ids(user))


def get_pair_for_user(user: User, pk: int) -> Pair:
    try:
        return pairs_visible_to(user).select_related("hub", "mentee", "mentor__user").get(pk=pk)
    except Pair.DoesNotExist:
        raise Http404("No such pair.") from None


def can_write_pair_agreement(user: User, pair: Pair) -> bool:
    """Her coordinator, or the mentor herself while the pair is active: it is co-created at
    the first meeting, often on the mentor's phone."""
    if not _is_active_user(user):
        return False
    if pair.hub_id in coordinator_hub_ids(user):
        return True
    return pair.status == PairStatus.ACTIVE and pair.mentor.user_id == user.pk


def get_pair_for_agreement(user: User, pk: int) -> Pair:
    """The pair whose agreement she may read and write, or 404."""
    pair = Pair.objects.select_related("hub", "mentee", "mentor__user").filter(pk=pk).first()
    if pair is None or not can_write_pair_agreement(user, pair):
        raise Http404("No such pair.")
    return pair


def relationships_visible_to(user: User) -> QuerySet[RecordedRelationship]:
    return RecordedRelationship.objects.filter(mentee__hub_id__in=coordinator_hub_ids(user))


def get_relationship_for_user(user: User, pk: int) -> RecordedRelationship:
    try:
        return relationships_visible_to(user).select_related("mentee", "mentor").get(pk=pk)
    except RecordedRelationship.DoesNotExist:
        raise Http404("No such record.") from None


# --- people and invitations ---

# Who may invite whom: an org admin any role in her hubs; a coordinator mentors in hers.
INVITABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.ORG_ADMIN: tuple(Role.values),
    Role.COORDINATOR: (Role.MENTOR,),
}


def invitable_roles(user: User, hub: Hub) -> list[str]:
    held = (
        set(Membership.objects.filter(user=user, hub=hub).values_list("role", flat=True))
        if _is_active_user(user)
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
    if not _is_active_user(user):
        return Invitation.objects.none()
    query = Q(pk__in=[])
    for role, roles in INVITABLE_ROLES.items():
        query |= Q(hub_id__in=hub_ids_for(user, [role]), role__in=roles)
    return Invitation.objects.filter(query)


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


# --- role home pages ---


def can_use_role_home(user: User, role: str) -> bool:
    return has_role(user, role)


# --- organisation settings (org admin) ---


def organisations_administered(user: User) -> list[int]:
    if not _is_active_user(user):
        return []
    return list(
        Hub.objects.filter(memberships__user=user, memberships__role=Role.ORG_ADMIN)
        .values_list("organisation_id", flat=True)
        .distinct()
    )


def get_hub_for_admin(user: User, pk: int) -> Hub:
    try:
        return hubs_for(user, [Role.ORG_ADMIN]).get(pk=pk)
    except Hub.DoesNotExist:
        raise Http404("No such hub.") from None
