"""Who may read the access log, and which of the records it names she may open.

Safeguarding leads read the log of the hubs where they hold that role; nobody else reads it in
the app (superusers read it, read only, in the operations admin). A record the log names is
opened only where that record's own policy lets her: the log is no way round them.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet

from mentoring.models import AccessLog, Role, User
from mentoring.policies.mentees import casework_mentees, mentees_visible_to
from mentoring.policies.mentors import mentors_visible_to
from mentoring.policies.pairs import pairs_visible_to
from mentoring.policies.people import hub_ids_for


def access_log_hub_ids(user: User) -> list[int]:
    """The hubs whose log she reads: those where she is safeguarding lead."""
    return hub_ids_for(user, [Role.SAFEGUARDING_LEAD])


def can_read_access_log(user: User) -> bool:
    return bool(access_log_hub_ids(user))


def access_log_visible_to(user: User) -> QuerySet[AccessLog]:
    """The access log of the hubs where she is safeguarding lead: who looked at what, when, why."""
    hub_ids = access_log_hub_ids(user)
    if not hub_ids:
        return AccessLog.objects.none()
    return AccessLog.objects.filter(hub_id__in=hub_ids)


def mentees_she_may_open(user: User, mentee_ids: Collection[int]) -> set[int]:
    """Which of these women's records she may open (her record's own rule), in one query."""
    if not mentee_ids:
        return set()
    return set(mentees_visible_to(user).filter(pk__in=mentee_ids).values_list("pk", flat=True))


def full_records_she_may_open(user: User, mentee_ids: Collection[int]) -> set[int]:
    """Which of these women's whole records (assessments, goals) she may open: casework staff
    of her hub, as `can_see_full_record` says; a mentor's share of them is not their pages."""
    if not mentee_ids:
        return set()
    return set(casework_mentees(user).filter(pk__in=mentee_ids).values_list("pk", flat=True))


def pairs_she_may_open(user: User, pair_ids: Collection[int]) -> set[int]:
    """Pairs are coordinators' work: a safeguarding lead opens one only if she coordinates there too."""
    if not pair_ids:
        return set()
    return set(pairs_visible_to(user).filter(pk__in=pair_ids).values_list("pk", flat=True))


def mentors_she_may_open(user: User, mentor_ids: Collection[int]) -> set[int]:
    """A mentor's record is her hub's coordinators' (her DBS check and references are on it)."""
    if not mentor_ids:
        return set()
    return set(mentors_visible_to(user).filter(pk__in=mentor_ids).values_list("pk", flat=True))
