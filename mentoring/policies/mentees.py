"""Who may see a woman's record and act on it.

- Casework staff (coordinators, safeguarding leads) see the women of the hubs where they hold
  that role; her intake records (consents, assessments, goals) follow her record.
- A mentor sees a woman only through an object right (guardian's direct table), given while
  their pair is active and taken away when it isn't, and then only what she agreed to share.
- Decision makers, org admins and superusers never see a woman's record.
- A record she may not see answers 404, the same as one that doesn't exist.
- guardian is called here and nowhere else.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from mentoring.models import (
    AccessLog,
    Assessment,
    Goal,
    Mentee,
    MenteeGroupObjectPermission,
    MenteeUserObjectPermission,
    Role,
    User,
)
from mentoring.policies.audit import access_log_record
from mentoring.policies.people import hub_ids_for, is_active_user, is_coordinator_in

MENTEE_CASEWORK_ROLES = (Role.COORDINATOR, Role.SAFEGUARDING_LEAD)


def mentees_visible_to(user: User) -> QuerySet[Mentee]:
    """Mentees of her casework hubs, plus any she holds an object right on (a mentor's active pair)."""
    if not is_active_user(user):
        return Mentee.objects.none()
    granted = get_objects_for_user(
        user,
        "mentoring.view_mentee",
        klass=Mentee,
        accept_global_perms=False,
        with_superuser=False,
    ).values("pk")
    return Mentee.objects.filter(Q(hub_id__in=hub_ids_for(user, MENTEE_CASEWORK_ROLES)) | Q(pk__in=granted))


def casework_mentees(user: User, roles: tuple[str, ...] = MENTEE_CASEWORK_ROLES) -> QuerySet[Mentee]:
    """The casework half of `mentees_visible_to` alone: every woman in the hubs where she holds
    one of these casework roles. The lists use it.

    The object-rights half is a subquery the planner keeps even when no row needs it, and it
    turns an index-only count into a scan of every woman's row; casework staff reach every
    woman of their hubs through this half anyway. Tests check that it is the general rule's
    answer for casework staff.
    """
    if not set(roles) <= set(MENTEE_CASEWORK_ROLES):
        raise ValueError("Only casework roles see every woman in their hubs.")
    if not is_active_user(user):
        return Mentee.objects.none()
    return Mentee.objects.filter(hub_id__in=hub_ids_for(user, roles))


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
    if not is_active_user(user):
        return MenteeUserObjectPermission.objects.none().values("content_object_id")
    return MenteeUserObjectPermission.objects.filter(user_id=user.pk, permission__codename="view_mentee").values(
        "content_object_id"
    )


def can_view_mentee(user: User, mentee: Mentee) -> bool:
    """The same rule as mentees_visible_to, for one woman, without building the list's query."""
    if not is_active_user(user):
        return False
    return mentee.hub_id in hub_ids_for(user, MENTEE_CASEWORK_ROLES) or _holds_view_right(user, mentee)


def can_see_full_record(user: User, mentee: Mentee) -> bool:
    """Casework staff of her hub see her whole record; a mentor sees only what she agreed to share."""
    return is_active_user(user) and mentee.hub_id in hub_ids_for(user, MENTEE_CASEWORK_ROLES)


def can_reveal_legal_name(user: User, mentee: Mentee) -> bool:
    """Only casework staff of her hub; a mentor never sees a legal name."""
    return can_see_full_record(user, mentee)


def can_edit_mentee(user: User, mentee: Mentee) -> bool:
    return is_coordinator_in(user, mentee.hub_id)


MENTEE_ACTIONS = {
    "view": can_view_mentee,
    "view_full": can_see_full_record,
    "edit": can_edit_mentee,
    "reveal_legal_name": can_reveal_legal_name,
}


def _permitted_mentee(user: User, pk: int, action: str) -> Mentee:
    mentee = Mentee.objects.select_related("hub").filter(pk=pk).first()
    if mentee is None or not can_view_mentee(user, mentee):
        raise Http404("No such record.")
    if action != "view" and not MENTEE_ACTIONS[action](user, mentee):
        # She can be seen by this person, but not acted on this way. A mentor asking for the
        # full record, or for an edit, gets the same answer as a stranger: nothing is here.
        raise Http404("No such record.")
    return mentee


def get_mentee_for_user(
    user: User,
    pk: int,
    action: str = "view",
    *,
    purpose: str,
    log_as: str = AccessLog.Action.VIEW,
) -> Mentee:
    """The mentee, or 404 for anyone who may not see her (the same answer as 'no such record').

    Handing her record over is reading it, so this writes the access log entry too: `purpose`
    says why (the page, or the reason she gave for a reveal), `log_as` what kind of read. A
    refusal writes nothing: ask for the action the request needs (an edit for a POST that
    changes her record), so that it is refused here, before anything is read.
    """
    mentee = _permitted_mentee(user, pk, action)
    access_log_record(user=user, action=log_as, obj=mentee, hub=mentee.hub, reason=purpose)
    return mentee


IntakeRecord = TypeVar("IntakeRecord", Assessment, Goal)


def _mentee_and(
    user: User, pk: int, action: str, model: type[IntakeRecord], record_pk: int, *, purpose: str
) -> tuple[Mentee, IntakeRecord]:
    """Her record and one of her intake records, or 404 (another woman's included); one entry,
    for her record."""
    mentee = _permitted_mentee(user, pk, action)
    record = model._default_manager.filter(mentee=mentee, pk=record_pk).first()
    if record is None:
        raise Http404(f"No such {model._meta.verbose_name}.")
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=mentee, hub=mentee.hub, reason=purpose)
    return mentee, record


def get_assessment_for_user(
    user: User, pk: int, assessment_pk: int, action: str = "view_full", *, purpose: str
) -> tuple[Mentee, Assessment]:
    return _mentee_and(user, pk, action, Assessment, assessment_pk, purpose=purpose)


def get_goal_for_user(user: User, pk: int, goal_pk: int, action: str = "edit", *, purpose: str) -> tuple[Mentee, Goal]:
    return _mentee_and(user, pk, action, Goal, goal_pk, purpose=purpose)


def grant_mentee_view(user: User, mentee: Mentee) -> None:
    assign_perm("view_mentee", user, mentee)


def revoke_all_mentee_views(user: User) -> list[Mentee]:
    """Take away every view right she holds on a woman; returns those women."""
    rights = MenteeUserObjectPermission.objects.filter(user=user, permission__codename="view_mentee")
    mentees = list(Mentee.objects.filter(pk__in=rights.values("content_object_id")).select_related("hub"))
    rights.delete()
    return mentees


def revoke_mentee_view(user: User, mentee: Mentee) -> None:
    remove_perm("view_mentee", user, mentee)
