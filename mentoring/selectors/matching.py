"""Reads for the matching screens: suggestions for one woman and a hub's batch, with their reasons."""

from __future__ import annotations

from dataclasses import dataclass

from mentoring.matching.engine import Effect, Reason, batch_assign, explain, rank, why_none
from mentoring.matching.loader import load, waiting_mentee_ids, weights_for
from mentoring.models import Hub, Mentee


def _shown(reasons: list[Reason]) -> list[tuple[str, int]]:
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
    weights, priority_needs = weights_for(mentee.hub)
    data = load(hub_ids=[mentee.hub_id], mentee_ids=[mentee.pk], priority_needs=priority_needs)
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
        for c in rank(data.needs, 0, data.pool, weights, data.vocab, data.constraints, limit=limit)
    ]
    return Suggestions(
        candidates=candidates,
        ruled_out=why_none(data.needs, 0, data.pool, data.constraints, data.vocab),
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
    weights, priority_needs = weights_for(hub)
    data = load(hub_ids=[hub.pk], mentee_ids=waiting_mentee_ids(hub), priority_needs=priority_needs)
    proposals = batch_assign(data.needs, data.pool, weights, data.constraints)
    flags: dict[tuple[int, int], list[str]] = {}
    for constraint in data.constraints:
        if constraint.effect == Effect.FLAG:
            flags.setdefault((constraint.mentee, constraint.mentor), []).append(constraint.label)
    rows = [
        BatchRow(
            mentee_id=p.mentee_id,
            mentee_name=data.mentee_names[p.mentee_id],
            waited_days=int(data.needs.waited_days[p.mentee_row]),
            mentor_id=p.mentor_id,
            mentor_name=data.mentor_names[p.mentor_id],
            score=round(p.score),
            reasons=_shown(explain(data.needs, p.mentee_row, data.pool, p.mentor_row, weights, data.vocab)),
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
            flags=list(why_none(data.needs, i, data.pool, data.constraints, data.vocab)),
        )
        for i in data.needs.waiting_order()
        if int(i) not in placed
    ]
    return rows, left
