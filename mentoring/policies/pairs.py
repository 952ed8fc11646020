"""Who may see and run a pair: her hub's coordinators; the pair agreement also by the mentor herself
while the pair is active.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from mentoring.models import (
    AccessLog,
    Hub,
    Pair,
    PairStatus,
    Role,
    User,
)
from mentoring.policies.audit import access_log_record
from mentoring.policies.people import coordinator_hub_ids, hubs_for, is_active_user


def get_hub_for_coordinator(user: User, pk: int) -> Hub:
    try:
        return hubs_for(user, [Role.COORDINATOR]).get(pk=pk)
    except Hub.DoesNotExist:
        raise Http404("No such hub.") from None


def pairs_visible_to(user: User) -> QuerySet[Pair]:
    """Pairs of her hubs, for coordinators. A mentor reaches her own through her home page."""
    return Pair.objects.filter(hub_id__in=coordinator_hub_ids(user))


def get_pair_for_user(user: User, pk: int, *, purpose: str) -> Pair:
    """The pair, or 404; handing it over writes the access log entry."""
    try:
        pair = pairs_visible_to(user).select_related("hub", "mentee", "mentor__user").get(pk=pk)
    except Pair.DoesNotExist:
        raise Http404("No such pair.") from None
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=pair, hub=pair.hub, reason=purpose)
    return pair


def can_write_pair_agreement(user: User, pair: Pair) -> bool:
    """Her coordinator, or the mentor herself while the pair is active: it is co-created at
    the first meeting, often on the mentor's phone."""
    if not is_active_user(user):
        return False
    if pair.hub_id in coordinator_hub_ids(user):
        return True
    return pair.status == PairStatus.ACTIVE and pair.mentor.user_id == user.pk


def get_pair_for_agreement(user: User, pk: int, *, purpose: str) -> Pair:
    """The pair whose agreement she may read and write, or 404; handing it over writes the
    access log entry."""
    pair = Pair.objects.select_related("hub", "mentee", "mentor__user").filter(pk=pk).first()
    if pair is None or not can_write_pair_agreement(user, pair):
        raise Http404("No such pair.")
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=pair, hub=pair.hub, reason=purpose)
    return pair
