"""Reads for matching and pairs, scoped by the policies, with the joins each page needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mentoring import matching, matching_data, policies
from mentoring.models import OPEN_PAIR_STATUSES, Hub, Mentee, Mentor, Pair, PairAgreement, PairStatus, User


@dataclass(frozen=True)
class PairFilters:
    status: str = ""
    hub: int | None = None
    review_due: bool = False


def pair_list(*, user: User, filters: PairFilters) -> QuerySet[Pair]:
    """Running and proposed pairs by default, the next review first; ended ones when asked for.

    Only the columns the list shows: sorting thousands of joined rows with every column
    (her feedback is encrypted text) is what made this page slow."""
    pairs = policies.pairs_visible_to(user)
    pairs = pairs.filter(status=filters.status) if filters.status else pairs.filter(status__in=OPEN_PAIR_STATUSES)
    if filters.hub:
        pairs = pairs.filter(hub_id=filters.hub)
    if filters.review_due:
        pairs = pairs.filter(next_review_on__lte=timezone.localdate())
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
    pair and the right can never disagree about what she is shown."""
    return list(
        Pair.objects.filter(
            mentor__user=user,
            status=PairStatus.ACTIVE,
            mentee_id__in=policies.mentee_ids_granted_to(user),
        )
        .select_related("mentee", "hub")
        .prefetch_related(
            Prefetch("agreements", queryset=PairAgreement.objects.order_by("-version"), to_attr="agreement_versions")
        )
        .order_by("mentee__chosen_name", "pk")
    )


def own_mentor_record(*, user: User) -> Mentor | None:
    return Mentor.objects.filter(user=user).select_related("hub", "hub__organisation").first()


def _shown(reasons: list[matching.Reason]) -> list[tuple[str, int]]:
    """Reasons as the screens show them: whole points (formatting floats in the template was slow)."""
    return [(reason.label, round(reason.points)) for reason in reasons]


@dataclass(frozen=True)
class Suggested:
    mentor_id: int
    mentor_name: str
    score: int  # whole points, as shown
    reasons: list[tuple[str, int]]
    flags: list[str]
    free_places: int


@dataclass
class Suggestions:
    candidates: list[Suggested]
    ruled_out: dict[str, int]
    considered: int


def suggestions_for(mentee: Mentee, *, limit: int = 10) -> Suggestions:
    """The best mentors of her hub for her, each with why; and, when few or none, why not."""
    weights, priority_needs = matching_data.weights_for(mentee.hub)
    data = matching_data.load(hub_ids=[mentee.hub_id], mentee_ids=[mentee.pk], priority_needs=priority_needs)
    free = data.pool.free_places()
    candidates = [
        Suggested(
            mentor_id=c.mentor_id,
            mentor_name=data.mentor_names[c.mentor_id],
            score=round(c.score),
            reasons=_shown(c.reasons),
            flags=c.flags,
            free_places=int(free[c.row]),
        )
        for c in matching.rank(data.needs, 0, data.pool, weights, data.vocab, data.constraints, limit=limit)
    ]
    return Suggestions(
        candidates=candidates,
        ruled_out=matching.why_none(data.needs, 0, data.pool, data.constraints, data.vocab),
        considered=len(data.pool.ids),
    )


@dataclass
class BatchRow:
    mentee_id: int
    mentee_name: str
    waited_days: int
    mentor_id: int | None
    mentor_name: str
    score: int
    reasons: list[tuple[str, int]]
    flags: list[str]


def batch_for_hub(hub: Hub) -> tuple[list[BatchRow], list[BatchRow]]:
    """Proposals for everyone waiting in the hub (longest wait first), and the women left without one."""
    weights, priority_needs = matching_data.weights_for(hub)
    data = matching_data.load(
        hub_ids=[hub.pk], mentee_ids=matching_data.waiting_mentee_ids(hub), priority_needs=priority_needs
    )
    proposals = matching.batch_assign(data.needs, data.pool, weights, data.constraints)
    flags: dict[tuple[int, int], list[str]] = {}
    for constraint in data.constraints:
        if constraint.effect == matching.Effect.FLAG:
            flags.setdefault((constraint.mentee, constraint.mentor), []).append(constraint.label)
    rows = [
        BatchRow(
            mentee_id=p.mentee_id,
            mentee_name=data.mentee_names[p.mentee_id],
            waited_days=int(data.needs.waited_days[p.mentee_row]),
            mentor_id=p.mentor_id,
            mentor_name=data.mentor_names[p.mentor_id],
            score=round(p.score),
            reasons=_shown(matching.explain(data.needs, p.mentee_row, data.pool, p.mentor_row, weights, data.vocab)),
            flags=flags.get((p.mentee_row, p.mentor_row), []),
        )
        for p in proposals
    ]
    placed = {p.mentee_row for p in proposals}
    left = [
        BatchRow(
            mentee_id=int(data.needs.ids[i]),
            mentee_name=data.mentee_names[int(data.needs.ids[i])],
            waited_days=int(data.needs.waited_days[i]),
            mentor_id=None,
            mentor_name="",
            score=0,
            reasons=[],
            flags=list(matching.why_none(data.needs, i, data.pool, data.constraints, data.vocab)),
        )
        for i in data.needs.waiting_order()
        if int(i) not in placed
    ]
    return rows, left
