"""Who may log, read and correct a mentoring session.

Her mentor logs sessions of her active pairs and reads and corrects her own logs while the pair is
active (as she sees the woman herself only then). Her hub's coordinators read every session of the
hub's pairs: they supervise the mentors and run the pairs.
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mentoring.models import AccessLog, MentoringSession, MentorStage, Pair, PairStatus, User
from mentoring.policies.audit import access_log_record
from mentoring.policies.people import coordinator_hub_ids, is_active_user


def is_her_active_pair(user: User, pair: Pair) -> bool:
    return (
        is_active_user(user)
        and pair.status == PairStatus.ACTIVE
        and pair.mentor.user_id == user.pk
        and pair.mentor.stage != MentorStage.LEFT
    )


def get_pair_for_logging(user: User, pk: int, *, purpose: str) -> Pair:
    """Her active pair, to log a session of, or 404; handing it over writes the access log entry."""
    pair = Pair.objects.select_related("hub", "mentee", "mentor").filter(pk=pk).first()
    if pair is None or not is_her_active_pair(user, pair):
        raise Http404("No such pair.")
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=pair, hub=pair.hub, reason=purpose)
    return pair


def sessions_visible_to(user: User) -> QuerySet[MentoringSession]:
    """Every session of her hubs' pairs, for coordinators; her own of active pairs, for a mentor."""
    if not is_active_user(user):
        return MentoringSession.objects.none()
    own = Q(logged_by=user, pair__status=PairStatus.ACTIVE, pair__mentor__user=user) & ~Q(
        pair__mentor__stage=MentorStage.LEFT
    )
    return MentoringSession.objects.filter(Q(hub_id__in=coordinator_hub_ids(user)) | own)


def can_edit_session(user: User, session: MentoringSession) -> bool:
    """Her own log, for a week after she first saved it, while the pair is hers and active."""
    return (
        session.logged_by_id == user.pk
        and is_her_active_pair(user, session.pair)
        and timezone.now() < session.editable_until
    )


def get_session_for_edit(user: User, pk: int, *, purpose: str) -> MentoringSession:
    """Her own log that she may still correct, or 404; handing it over writes the access log entry."""
    session = MentoringSession.objects.select_related("pair__mentee", "pair__mentor", "hub").filter(pk=pk).first()
    if session is None or not can_edit_session(user, session):
        raise Http404("No such session.")
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=session, hub=session.hub, reason=purpose)
    return session


def get_session_for_coordinator(user: User, pk: int, *, purpose: str) -> MentoringSession:
    """A session of one of her hubs' pairs, or 404; handing it over writes the access log entry."""
    session = (
        MentoringSession.objects.filter(hub_id__in=coordinator_hub_ids(user), pk=pk)
        .select_related("pair__mentee", "pair__mentor__user", "hub")
        .first()
    )
    if session is None or not is_active_user(user):
        raise Http404("No such session.")
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=session, hub=session.hub, reason=purpose)
    return session


def stored_log_of(user: User, client_id: uuid.UUID | None, *, pair_id: int) -> MentoringSession | None:
    """Her log already stored under this client id for this pair, if any: a copy sent again is
    answered as saved. Another's log, or another pair's, is never handed over (nor said to exist)."""
    if client_id is None or not is_active_user(user):
        return None
    return MentoringSession.objects.filter(client_id=client_id, logged_by=user, pair_id=pair_id).first()
