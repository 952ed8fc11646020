"""Reads of women's records: the coordinator's lists and the waiting list, scoped by the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, Min, OuterRef, QuerySet
from django.utils import timezone

from mentoring.models import (
    OPEN_STATUSES,
    AffectsNow,
    Membership,
    Mentee,
    MenteeStatus,
    NeedRating,
    Role,
    User,
)
from mentoring.models.mentees import possible_same_women
from mentoring.policies.mentees import MENTEE_CASEWORK_ROLES, casework_mentees, mentees_visible_to


def mentee_list(*, user: User, search: str = "") -> QuerySet[Mentee]:
    mentees = mentees_visible_to(user).select_related("hub")
    if search:
        mentees = mentees.filter(chosen_name__icontains=search.strip())
    return mentees.order_by("chosen_name", "pk")


@dataclass(frozen=True)
class MenteeFilters:
    search: str = ""
    status: str = ""
    need_area: int | None = None
    min_needs: int | None = None
    waited_weeks: int | None = None
    review_due: bool = False
    hub: int | None = None


# What the mentee list and the waiting list show of each woman. Her encrypted fields stay
# unread: decrypting contact details nobody sees on a list of 25 (or 500) costs real time.
LIST_FIELDS = ("chosen_name", "status", "status_changed_at", "need_count", "review_due_on", "hub__name")


def filtered_mentees(*, user: User, filters: MenteeFilters) -> QuerySet[Mentee]:
    """The coordinator's mentee list: scoped by policy, then filtered. Counts and dates the
    filters need are kept on the mentee row (need_count, review_due_on), so no join per row."""
    mentees = casework_mentees(user, MENTEE_CASEWORK_ROLES)
    if filters.search:
        mentees = mentees.filter(chosen_name__icontains=filters.search.strip())
    if filters.hub:
        mentees = mentees.filter(hub_id=filters.hub)
    if filters.status:
        mentees = mentees.filter(status=filters.status)
    if filters.min_needs:
        mentees = mentees.filter(need_count__gte=filters.min_needs)
    if filters.waited_weeks:
        mentees = mentees.filter(
            status=MenteeStatus.WAITING,
            status_changed_at__lte=timezone.now() - timedelta(weeks=filters.waited_weeks),
        )
    if filters.review_due:
        mentees = mentees.filter(review_due_on__lte=timezone.localdate(), status__in=OPEN_STATUSES)
    if filters.need_area:
        # Her latest completed assessment is kept on her row: one join, no subquery per woman.
        mentees = mentees.filter(
            Exists(
                NeedRating.objects.filter(
                    assessment_id=OuterRef("latest_assessment_id"),
                    need_area_id=filters.need_area,
                    affects_now=AffectsNow.YES,
                )
            )
        )
    return mentees.select_related("hub").only(*LIST_FIELDS).order_by("chosen_name", "pk")


def waiting_list(*, user: User) -> QuerySet[Mentee]:
    """Women waiting for a mentor in her hubs, longest wait first."""
    return (
        casework_mentees(user, (Role.COORDINATOR,))
        .filter(status=MenteeStatus.WAITING)
        .select_related("hub")
        .only(*LIST_FIELDS)
        .annotate(first_referred_on=Min("referrals__referred_on"))
        .order_by("hub__name", "status_changed_at", "pk")
    )


@dataclass(frozen=True)
class PossibleSameWoman:
    """One answer to "Is this the same woman?". `mentee` is set only when she may see that record;
    for a woman in another hub she may not see, only the hub and whom to ask there."""

    hub_name: str
    mentee: Mentee | None = None
    ask: tuple[str, ...] = ()


def possible_same_women_for(
    *, user: User, organisation_id: int, chosen_name: str, date_of_birth: date | None, contact_details: str
) -> list[PossibleSameWoman]:
    """The women a new referral may be, as the referring coordinator may be told about them: the ones
    she may see, with a link to each; for each other hub with one, that hub and its coordinators,
    without a name, a date or a count, so nothing of that woman is shown to someone outside her hub."""
    women = possible_same_women(
        organisation_id=organisation_id,
        chosen_name=chosen_name,
        date_of_birth=date_of_birth,
        contact_details=contact_details,
    )
    if not women:
        return []
    visible = set(mentees_visible_to(user).filter(pk__in=[w.pk for w in women]).values_list("pk", flat=True))
    answers = [PossibleSameWoman(hub_name=w.hub.name, mentee=w) for w in women if w.pk in visible]
    other_hubs = sorted({w.hub_id for w in women if w.pk not in visible})
    if other_hubs:
        coordinators: dict[int, list[str]] = {hub_id: [] for hub_id in other_hubs}
        for membership in (
            Membership.objects.filter(hub_id__in=other_hubs, role=Role.COORDINATOR, user__is_active=True)
            .select_related("user")
            .order_by("user__display_name", "user__email")
        ):
            coordinators[membership.hub_id].append(str(membership.user))
        names = {w.hub_id: w.hub.name for w in women}
        answers += [PossibleSameWoman(hub_name=names[hub_id], ask=tuple(coordinators[hub_id])) for hub_id in other_hubs]
    return answers
