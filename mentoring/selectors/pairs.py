"""Reads of pairs: the coordinator's list, agreements, and a mentor's own active pairs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone

from mentoring.models import (
    OPEN_PAIR_STATUSES,
    WAITING_PAIR_STATUSES,
    Hub,
    Mentor,
    Pair,
    PairAgreement,
    PairStatus,
    User,
)
from mentoring.policies.audit import access_log_reads
from mentoring.policies.mentees import mentee_ids_granted_to
from mentoring.policies.pairs import pairs_visible_to
from mentoring.selectors.sessions import quiet_pairs


@dataclass(frozen=True)
class PairFilters:
    status: str = ""
    hub: int | None = None
    review_due: bool = False
    waiting: bool = False  # proposed or awaiting consent: an answer is awaited
    quiet: bool = False  # active, with no session logged for the hub's quiet weeks


def pair_list(*, user: User, filters: PairFilters) -> QuerySet[Pair]:
    """Running and proposed pairs by default, the next review first; ended ones when asked for.

    Only the columns the list shows: sorting thousands of joined rows with every column
    (her feedback is encrypted text) is what made this page slow."""
    pairs = pairs_visible_to(user)
    pairs = pairs.filter(status=filters.status) if filters.status else pairs.filter(status__in=OPEN_PAIR_STATUSES)
    if filters.hub:
        pairs = pairs.filter(hub_id=filters.hub)
    if filters.review_due:
        pairs = pairs.filter(next_review_on__lte=timezone.localdate())
    if filters.waiting:
        pairs = pairs.filter(status__in=WAITING_PAIR_STATUSES)
    if filters.quiet:
        pairs = pairs.filter(pk__in=quiet_pairs(user=user).values("pk"))
    order = (
        ("-ended_on", "-pk") if filters.status in (PairStatus.ENDED, PairStatus.NOT_TAKEN) else ("next_review_on", "pk")
    )
    return (
        pairs.select_related("hub", "mentee", "mentor__user")
        .only(
            "status",
            "activated_on",
            "next_review_on",
            "ended_on",
            "last_contact_on",
            "hub__name",
            "mentee__chosen_name",
            "mentor__user__display_name",
            "mentor__user__email",
        )
        .order_by(*order)
    )


def latest_agreement(pair: Pair) -> PairAgreement | None:
    return pair.agreements.order_by("-version").first()


def mentor_active_pairs(*, user: User) -> list[Pair]:
    """Her active pairs, each with the woman and the agreement's versions (newest first): her
    phone home. Only women she holds the view right on (granted while the pair is active), so a
    pair and the right can never disagree about what she is shown.

    The page shows each woman's safe-contact details and code word, so each is logged as read.
    """
    pairs: list[Pair] = list(
        Pair.objects.filter(
            mentor__user=user,
            status=PairStatus.ACTIVE,
            mentee_id__in=mentee_ids_granted_to(user),
        )
        .select_related("mentee", "hub")
        .prefetch_related(
            Prefetch("agreements", queryset=PairAgreement.objects.order_by("-version"), to_attr="agreement_versions"),
            "mentee__consents",  # her safe ways are read against her contact consents
        )
        .order_by("mentee__chosen_name", "pk")
    )
    shown: list[tuple[Model, Hub | None]] = [(pair.mentee, pair.hub) for pair in pairs]
    access_log_reads(user=user, records=shown, reason="Her mentor's home page")
    return pairs


def own_mentor_record(*, user: User) -> Mentor | None:
    return Mentor.objects.filter(user=user).select_related("hub", "hub__organisation").first()
