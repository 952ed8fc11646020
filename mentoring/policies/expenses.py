"""Who may see, decide and export volunteers' expense claims, and set mileage rates.

A mentor sees her own claims, whatever has become of the pair since: she is owed the money. The
coordinators of her hub approve, query and mark them paid, and export them for finance; nobody
decides a claim of her own (a coordinator who also mentors has hers decided by a colleague).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mentoring.models import AccessLog, ExpenseClaim, Hub, Role, User
from mentoring.policies.audit import access_log_record
from mentoring.policies.people import coordinator_hub_ids, has_role, hub_ids_for, is_active_user


def claims_visible_to(user: User) -> QuerySet[ExpenseClaim]:
    """Every claim of her hubs, for coordinators; her own, for a mentor."""
    if not is_active_user(user):
        return ExpenseClaim.objects.none()
    return ExpenseClaim.objects.filter(Q(hub_id__in=coordinator_hub_ids(user)) | Q(mentor__user=user))


def claims_to_decide(user: User) -> QuerySet[ExpenseClaim]:
    """The claims of her hubs she may approve, query or mark paid: all but her own."""
    if not is_active_user(user):
        return ExpenseClaim.objects.none()
    return ExpenseClaim.objects.filter(hub_id__in=coordinator_hub_ids(user)).exclude(mentor__user=user)


def can_decide_claim(user: User, claim: ExpenseClaim) -> bool:
    return is_active_user(user) and claim.hub_id in coordinator_hub_ids(user) and claim.mentor.user_id != user.pk


def require_claim_decider(user: User, claim: ExpenseClaim) -> None:
    """For services: only another coordinator of her hub decides a claim."""
    if not can_decide_claim(user, claim):
        raise PermissionDenied("Only a coordinator of her hub decides a claim, and never her own.")


def is_her_claim(user: User, claim: ExpenseClaim) -> bool:
    return is_active_user(user) and claim.mentor.user_id == user.pk


def get_claim_for_decision(user: User, pk: int, *, purpose: str) -> ExpenseClaim:
    """A claim of her hubs to approve, query or mark paid, or 404; her own claim (which she may
    see) is 403. Handing it over writes the access log entry."""
    claim = claims_visible_to(user).select_related("mentor__user", "hub", "session").filter(pk=pk).first()
    if claim is None or claim.hub_id not in coordinator_hub_ids(user):
        raise Http404("No such claim.")
    if not can_decide_claim(user, claim):
        raise PermissionDenied
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=claim, hub=claim.hub, reason=purpose)
    return claim


def get_claim_for_answer(user: User, pk: int, *, purpose: str) -> ExpenseClaim:
    """Her own claim, to answer a query about, or 404; handing it over writes the access log entry."""
    claim = ExpenseClaim.objects.select_related("mentor", "hub").filter(pk=pk).first()
    if claim is None or not is_her_claim(user, claim):
        raise Http404("No such claim.")
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=claim, hub=claim.hub, reason=purpose)
    return claim


def can_export_claims(user: User) -> bool:
    return has_role(user, Role.COORDINATOR)


def export_hub_ids(user: User) -> list[int]:
    """The hubs whose claims she may export for finance: those she coordinates."""
    return coordinator_hub_ids(user)


def can_set_mileage_rate(user: User, organisation_id: int) -> bool:
    """An org admin of any of its hubs sets what the organisation pays a mile."""
    hubs = hub_ids_for(user, [Role.ORG_ADMIN])
    return bool(hubs) and Hub.objects.filter(pk__in=hubs, organisation_id=organisation_id).exists()
