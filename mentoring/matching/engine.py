"""Matching engine: which mentors could support her, why, and a fair batch of proposals.

Pure and vectorised: numpy arrays in, plain dataclasses out, no Django. The caller loads the
hub's mentors into a `MentorPool` and the women waiting into `MenteeNeeds` (one row each, in
any order) and keeps the row-to-record mapping through the `ids` arrays.

Scores are points, set per hub in `Weights`; every point has a reason a coordinator can read
(`explain`). The engine only suggests: a coordinator reviews every suggestion, and the woman
and the mentor consent, before a pair starts.

Hard rules (`feasible`). A mentor is never suggested or proposed unless she is eligible (active,
DBS valid, core training complete: the caller decides), has a free place, speaks the language
the woman asked her mentor to speak (if she asked), and no recorded relationship rules the pair
out. A relationship recorded as a flag does not rule the pair out: it is shown beside the
suggestion so the coordinator can decide.

Fairness rule for batches (`batch_assign`):

    When there are fewer places than women, the longest-waiting women who can be matched at
    all are placed first; among those, the total score is as high as possible.

In practice: women are considered in order of how long they have waited (equal waits: the
earlier record first, so the same data always gives the same answer). A woman is left out only
if no arrangement of the places can fit her alongside the women who have waited longer than
her. Putting the longest waits first never lowers the number of women placed: a batch always
places as many women as the free places and the hard rules allow. Once that group of women is
settled, the pairs are chosen to make the total score as high as possible, so a woman may not
get her own best-scoring mentor when that would cost the others more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import StrEnum

import numpy as np
from scipy.optimize import linear_sum_assignment

# why_none's causes, in the order a mentor is counted (each mentor once, under the first).
NOT_ELIGIBLE = "not eligible (stage, DBS or training)"
NO_FREE_PLACE = "no free place"
RELATIONSHIP = "a recorded relationship rules it out"


@dataclass(frozen=True)
class Weights:
    """Per-hub settings, in points."""

    lived_experience_priority: float = 30.0  # per need area in her top priorities that the mentor has lived through
    lived_experience_wanted: float = 20.0  # per need area where she asked for a mentor with shared experience
    language: float = 10.0  # they share a language (any)
    meeting_mode: float = 10.0  # at least one meeting mode in common
    availability: float = 15.0  # overlapping weekly slots: weight * min(overlap, 3) / 3
    area: float = 10.0  # at least one area she can get to that the mentor can reach
    capacity: float = 5.0  # weight * free places / capacity (headroom: spreads the load)
    interests: float = 5.0  # per shared interest, at most 2

    def __post_init__(self) -> None:
        # batch_assign's fairness guarantee relies on scores never being negative.
        for item in fields(self):
            if not getattr(self, item.name) >= 0:
                raise ValueError(f"Weights.{item.name} must be zero or more")


@dataclass(frozen=True)
class Vocabulary:
    """Column labels, used for the reasons' wording."""

    need_areas: list[str]
    languages: list[str]
    meeting_modes: list[str]
    slots: list[str]
    areas: list[str]
    interests: list[str]


@dataclass
class MentorPool:
    """M mentors, row j."""

    ids: np.ndarray  # int64 (M,)
    lived: np.ndarray  # bool (M, A): lived-experience need areas she consented to use for matching
    languages: np.ndarray  # bool (M, L)
    modes: np.ndarray  # bool (M, K)
    availability: np.ndarray  # bool (M, S) weekly slots (e.g. 21 = 7 days x morning/afternoon/evening)
    areas: np.ndarray  # bool (M, R)
    interests: np.ndarray  # bool (M, I)
    capacity: np.ndarray  # int (M,) most active pairs at once
    taken: np.ndarray  # int (M,) pairs counting against capacity now (active, paused, proposed, awaiting consent)
    eligible: np.ndarray  # bool (M,) active stage, DBS valid, core training complete (decided by the caller)

    def __len__(self) -> int:
        return len(self.ids)

    def select(self, rows: Sequence[int] | np.ndarray) -> MentorPool:
        """The same mentors, for the given rows only (in that order)."""
        rows = np.asarray(rows, dtype=np.intp)
        return MentorPool(**{item.name: getattr(self, item.name)[rows] for item in fields(self)})

    def free_places(self) -> np.ndarray:
        """Places each mentor can still take (0 when she is not eligible)."""
        return np.where(self.eligible, np.maximum(self.capacity - self.taken, 0), 0)


@dataclass
class MenteeNeeds:
    """N mentees, row i."""

    ids: np.ndarray  # int64 (N,)
    priority: np.ndarray  # bool (N, A): her top-priority need areas (the caller picks them)
    wanted: np.ndarray  # bool (N, A): areas where she asked for shared experience
    languages: np.ndarray  # bool (N, L): languages she speaks
    required_language: np.ndarray  # int (N,): a language her mentor must speak, or -1 for none
    modes: np.ndarray  # bool (N, K)
    availability: np.ndarray  # bool (N, S)
    areas: np.ndarray  # bool (N, R)
    interests: np.ndarray  # bool (N, I)
    waited_days: np.ndarray  # int (N,): how long she has waited; the longest wait has priority in batches

    def __len__(self) -> int:
        return len(self.ids)

    def select(self, rows: Sequence[int] | np.ndarray) -> MenteeNeeds:
        """The same women's needs, for the given rows only (in that order)."""
        rows = np.asarray(rows, dtype=np.intp)
        return MenteeNeeds(**{item.name: getattr(self, item.name)[rows] for item in fields(self)})

    def waiting_order(self) -> np.ndarray:
        """Rows, longest wait first; equal waits by record id so the order never depends on row order."""
        return np.lexsort((self.ids, -np.asarray(self.waited_days)))


class Effect(StrEnum):
    EXCLUDE = "exclude"
    FLAG = "flag"


@dataclass(frozen=True)
class PairConstraint:
    """A recorded relationship between mentee row `mentee` and mentor row `mentor`."""

    mentee: int
    mentor: int
    effect: Effect
    label: str  # e.g. "Already friends" (no personal content: it is shown on matching screens)


@dataclass(frozen=True)
class Reason:
    label: str
    points: float


@dataclass(frozen=True)
class Candidate:
    mentor_id: int
    row: int
    score: float
    reasons: list[Reason]
    flags: list[str]


@dataclass(frozen=True)
class Proposal:
    mentee_id: int
    mentor_id: int
    mentee_row: int
    mentor_row: int
    score: float


# --- scores ---


def _check_shapes(needs: MenteeNeeds, pool: MentorPool) -> None:
    """Fail loudly on mismatched columns: numpy would otherwise broadcast or mis-index quietly."""
    pairs = [
        ("priority", "lived"),
        ("wanted", "lived"),
        ("languages", "languages"),
        ("modes", "modes"),
        ("availability", "availability"),
        ("areas", "areas"),
        ("interests", "interests"),
    ]
    for mine, theirs in pairs:
        a, b = getattr(needs, mine), getattr(pool, theirs)
        if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or len(a) != len(needs) or len(b) != len(pool):
            raise ValueError(f"MenteeNeeds.{mine} {a.shape} doesn't fit MentorPool.{theirs} {b.shape}")


def _bits(table: np.ndarray) -> np.ndarray:
    """Each row's columns packed into 64-bit words (uint64, (rows, words)), at least one word."""
    packed = np.packbits(np.asarray(table, dtype=bool), axis=1, bitorder="little")
    words = max(-(-packed.shape[1] // 8), 1)
    padded = np.zeros((len(packed), words * 8), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    return padded.view(np.uint64)


def _count_shared(mine: np.ndarray, theirs: np.ndarray, count: np.ndarray, word: np.ndarray) -> None:
    """How many columns each (mentee, mentor) pair has in common, into `count` (N, M).

    An AND and a bit count per 64 columns, over the whole matrix at once. Not a float matrix
    product: with an inner dimension of 3 to 21, BLAS gains nothing from its threads, and on a
    busy machine they slow each product down many times over.
    """
    a, b = _bits(mine), _bits(theirs)
    count.fill(0)
    for k in range(a.shape[1]):
        np.bitwise_and(a[:, k, np.newaxis], b[np.newaxis, :, k], out=word)
        count += np.bitwise_count(word)


def _headroom(pool: MentorPool) -> np.ndarray:
    capacity = np.asarray(pool.capacity, dtype=np.float64)
    free = np.maximum(capacity - pool.taken, 0)
    return np.divide(free, capacity, out=np.zeros_like(capacity), where=capacity > 0)


def score_matrix(needs: MenteeNeeds, pool: MentorPool, weights: Weights) -> np.ndarray:
    """Points for every (mentee, mentor) pair: float64 (N, M), whether or not the pair is feasible.

    `explain` gives the same points as reasons; the two must change together. Scores are
    rounded to 6 decimal places so that totals that are equal on paper (a third of a place
    here, a slot there) compare equal, and ranking falls back to the mentor id as promised.
    """
    _check_shapes(needs, pool)
    w = weights
    terms: list[tuple[np.ndarray, np.ndarray, float, int | None, int]] = [
        # (her columns, the mentor's columns, points, counted up to, divided by)
        (needs.priority, pool.lived, w.lived_experience_priority, None, 1),
        (needs.wanted, pool.lived, w.lived_experience_wanted, None, 1),
        (needs.languages, pool.languages, w.language, 1, 1),
        (needs.modes, pool.modes, w.meeting_mode, 1, 1),
        (needs.availability, pool.availability, w.availability, 3, 3),
        (needs.areas, pool.areas, w.area, 1, 1),
        (needs.interests, pool.interests, w.interests, 2, 1),
    ]
    shape = (len(needs), len(pool))
    score = np.empty(shape)
    score[:] = (w.capacity * _headroom(pool))[np.newaxis, :]
    # Scratch matrices reused for every term: at 500 x 2,000 the time goes on memory, not arithmetic.
    count, word, points = np.empty(shape, dtype=np.uint16), np.empty(shape, dtype=np.uint64), np.empty(shape)
    for mine, theirs, weight, most, per in terms:
        _count_shared(mine, theirs, count, word)
        np.copyto(points, count)
        if most is not None:
            np.minimum(points, most, out=points)
        # weight * min(count, most) / per, the order explain() works it out in.
        points *= weight
        if per != 1:
            points /= per
        score += points
    np.round(score, 6, out=score)
    return score


def _constraint_mask(constraints: Sequence[PairConstraint], effect: Effect, n: int, m: int) -> np.ndarray:
    mask = np.zeros((n, m), dtype=bool)
    chosen = [(c.mentee, c.mentor) for c in constraints if c.effect == effect]
    if chosen:
        rows, cols = np.array(chosen, dtype=np.intp).T
        # Negative rows would wrap round to someone else: a silent safeguarding error.
        if rows.min() < 0 or rows.max() >= n or cols.min() < 0 or cols.max() >= m:
            raise ValueError("A PairConstraint refers to a row outside the mentees or mentors given")
        mask[rows, cols] = True
    return mask


def _speaks_required(needs: MenteeNeeds, pool: MentorPool) -> np.ndarray:
    required = np.asarray(needs.required_language)
    speaks = np.ones((len(needs), len(pool)), dtype=bool)
    asked = np.flatnonzero(required >= 0)
    speaks[asked] = np.asarray(pool.languages, dtype=bool)[:, required[asked]].T
    return speaks


def feasible(needs: MenteeNeeds, pool: MentorPool, constraints: Sequence[PairConstraint]) -> np.ndarray:
    """bool (N, M): eligible, a free place, speaks her required language, and not excluded."""
    _check_shapes(needs, pool)
    has_place = (pool.free_places() > 0)[np.newaxis, :]
    excluded = _constraint_mask(constraints, Effect.EXCLUDE, len(needs), len(pool))
    return has_place & _speaks_required(needs, pool) & ~excluded


# --- one woman: suggestions and their reasons ---


def _names(labels: Sequence[str], columns: np.ndarray, conjunction: str = "and") -> str:
    names = [labels[c] for c in columns]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def explain(needs: MenteeNeeds, i: int, pool: MentorPool, j: int, weights: Weights, vocab: Vocabulary) -> list[Reason]:
    """The reasons (points > 0) that add up to score_matrix[i, j] (which is rounded to 6 decimal places)."""
    w = weights
    lived = np.asarray(pool.lived[j], dtype=bool)
    reasons = [
        Reason(f"Lived experience of {vocab.need_areas[a]}, one of her priorities", w.lived_experience_priority)
        for a in np.flatnonzero(needs.priority[i] & lived)
    ]
    reasons += [
        Reason(
            f"Lived experience of {vocab.need_areas[a]}, which she asked a mentor to share", w.lived_experience_wanted
        )
        for a in np.flatnonzero(needs.wanted[i] & lived)
    ]
    if (shared := np.flatnonzero(needs.languages[i] & pool.languages[j])).size:
        reasons.append(Reason(f"Both speak {_names(vocab.languages, shared)}", w.language))
    if (shared := np.flatnonzero(needs.modes[i] & pool.modes[j])).size:
        reasons.append(Reason(f"Both can meet {_names(vocab.meeting_modes, shared, 'or')}", w.meeting_mode))
    if (shared := np.flatnonzero(needs.availability[i] & pool.availability[j])).size:
        if shared.size > 3:
            when = f"{', '.join(vocab.slots[s] for s in shared[:3])} and {shared.size - 3} more"
        else:
            when = _names(vocab.slots, shared)
        reasons.append(Reason(f"Both free {when}", w.availability * min(shared.size, 3) / 3))
    if (shared := np.flatnonzero(needs.areas[i] & pool.areas[j])).size:
        reasons.append(Reason(f"Can meet her in {_names(vocab.areas, shared, 'or')}", w.area))
    capacity = int(pool.capacity[j])
    free = max(capacity - int(pool.taken[j]), 0)
    if capacity > 0 and free > 0:
        places = "place" if capacity == 1 else "places"
        reasons.append(Reason(f"Has room: {free} of {capacity} {places} free", w.capacity * (free / capacity)))
    reasons += [
        Reason(f"Shared interest: {vocab.interests[c]}", w.interests)
        for c in np.flatnonzero(needs.interests[i] & pool.interests[j])[:2]
    ]
    return [reason for reason in reasons if reason.points > 0]


def rank(
    needs: MenteeNeeds,
    i: int,
    pool: MentorPool,
    weights: Weights,
    vocab: Vocabulary,
    constraints: Sequence[PairConstraint],
    limit: int = 20,
) -> list[Candidate]:
    """The feasible mentors for mentee row i, best first (equal scores: lower mentor id first)."""
    one = needs.select([i])
    own = [c for c in constraints if c.mentee == i]
    ok = feasible(one, pool, [PairConstraint(0, c.mentor, c.effect, c.label) for c in own])[0]
    scores = score_matrix(one, pool, weights)[0]
    rows = np.flatnonzero(ok)
    best = rows[np.lexsort((pool.ids[rows], -scores[rows]))[: max(limit, 0)]]
    flags: dict[int, list[str]] = {}
    for c in own:
        if c.effect == Effect.FLAG:
            flags.setdefault(c.mentor, []).append(c.label)
    return [
        Candidate(
            mentor_id=int(pool.ids[j]),
            row=int(j),
            score=float(scores[j]),
            reasons=explain(needs, i, pool, int(j), weights, vocab),
            flags=flags.get(int(j), []),
        )
        for j in best
    ]


def why_none(
    needs: MenteeNeeds,
    i: int,
    pool: MentorPool,
    constraints: Sequence[PairConstraint],
    vocab: Vocabulary | None = None,
) -> dict[str, int]:
    """How many mentors each hard rule rules out for mentee row i; causes with none are left out.

    Each mentor is counted once, under the first cause in this order: not eligible, no free
    place, doesn't speak her required language, a recorded relationship. Pass `vocab` to name
    the language ("doesn't speak Polish").
    """
    eligible = np.asarray(pool.eligible, dtype=bool)
    has_place = pool.free_places() > 0
    one = needs.select([i])
    speaks = _speaks_required(one, pool)[0]
    own = [PairConstraint(0, c.mentor, c.effect, c.label) for c in constraints if c.mentee == i]
    excluded = _constraint_mask(own, Effect.EXCLUDE, 1, len(pool))[0]
    required = int(needs.required_language[i])
    language = f"doesn't speak {vocab.languages[required]}" if vocab and required >= 0 else "doesn't speak her language"
    counts = {
        NOT_ELIGIBLE: int((~eligible).sum()),
        NO_FREE_PLACE: int((eligible & ~has_place).sum()),
        language: int((has_place & ~speaks).sum()),
        RELATIONSHIP: int((has_place & speaks & excluded).sum()),
    }
    return {cause: count for cause, count in counts.items() if count}


# --- a batch: fair proposals for everyone waiting ---


def _placeable_in_waiting_order(adjacent: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Which women to place: bool (women,), women in waiting order, mentors with `places` free each.

    Greedy in waiting order on the transversal matroid: a woman is kept if and only if a matching
    (within the places, feasible pairs only) can cover her alongside every woman kept before her.
    That gives the best set by waiting order, and one of the largest sets. The matching is kept
    from one woman to the next; each woman only needs one search for an augmenting path from her:
    breadth first, a level of the search at a time, stopping at the first woman on the way with a
    mentor who still has a place (the path then moves each woman on it one mentor along).

    When a search fails, every mentor it reached is full, and the women placed with them could only
    move to mentors it also reached: no later search can get through them, so later searches leave
    them out. And once every place is taken, the women still to come are all left out.
    """
    women, mentors = adjacent.shape
    by_mentor = np.ascontiguousarray(adjacent.T)
    left = np.asarray(places, dtype=np.int64).copy()
    free_total = int(left.sum())
    mentor_of = np.full(women, -1, dtype=np.intp)
    kept = np.zeros(women, dtype=bool)
    # How many mentors with a place left each woman could have: > 0 means a path can end with her.
    free_choices = (adjacent & (left > 0)).sum(axis=1)
    searchable = left > 0
    reached_by = np.empty(mentors, dtype=np.intp)  # the woman each reached mentor was reached from

    def take(mentor: int) -> None:
        nonlocal free_total
        left[mentor] -= 1
        free_total -= 1
        if left[mentor] == 0:
            free_choices[:] -= by_mentor[mentor]

    for her in range(women):
        if free_total == 0:
            break
        level = np.array([her], dtype=np.intp)
        reached = np.zeros(mentors, dtype=bool)
        while True:
            ends = level[free_choices[level] > 0]
            if ends.size:
                # Augment: the path's last woman takes a free place, each before her moves up one.
                woman = int(ends[0])
                mentor = int(np.argmax(adjacent[woman] & (left > 0)))
                take(mentor)
                while True:
                    previous = int(mentor_of[woman])
                    mentor_of[woman] = mentor
                    if woman == her:
                        break
                    mentor, woman = previous, int(reached_by[previous])
                kept[her] = True
                break
            step = adjacent[level] & searchable & ~reached
            found = np.asarray(step.any(axis=0))
            if not found.any():
                searchable &= ~reached  # everything she could reach is full for good
                break
            reached_by[found] = level[step.argmax(axis=0)[found]]
            reached |= found
            placed = np.flatnonzero(mentor_of >= 0)
            level = placed[found[mentor_of[placed]]]
    return kept


@dataclass
class AssignmentProblem:
    """The solver's input: one row per woman to place, one column per free place."""

    women: np.ndarray  # mentee rows to place (see assignment_problem), longest wait first
    places: np.ndarray  # the mentor row behind each column (a mentor appears once per free place)
    allowed: np.ndarray  # bool (len(women), len(places)): the pair is feasible
    scores: np.ndarray  # float64, same shape: score_matrix's points
    weight: np.ndarray  # float64, same shape: what the solver maximises: the score, or -inf where not allowed


def assignment_problem(
    needs: MenteeNeeds, pool: MentorPool, weights: Weights, constraints: Sequence[PairConstraint]
) -> AssignmentProblem:
    """The fairness rule in two steps: which women to place, then the best pairs for them.

    First the women: taken in waiting order, each is kept if the places can still fit her
    alongside the women kept before her (`_placeable_in_waiting_order`). The sets of women who can
    be placed together form a transversal matroid, so this greedy gives the best set by waiting
    order, and one of the largest sets: putting the longest waits first never lowers the number
    placed. When every woman who can be matched at all fits, the greedy keeps them all, each
    straight into a free place.

    Then the pairs: a maximum-score assignment of those women to the free places in which a pair
    that is not allowed weighs -inf. The solver must place every row (there are no more rows than
    columns), and it can, feasibly, because the women were chosen so that it can; so it never
    uses a pair that is not allowed, and its total is the highest possible for those women.
    """
    ok = feasible(needs, pool, constraints)
    order = needs.waiting_order()
    women = order[ok[order].any(axis=1)]  # a woman with no feasible mentor is simply left out
    mentors = np.flatnonzero(ok[women].any(axis=0))
    free = pool.free_places()[mentors]
    women = women[_placeable_in_waiting_order(ok[np.ix_(women, mentors)], free)]
    mentors = mentors[ok[np.ix_(women, mentors)].any(axis=0)]
    # One column per free place (no mentor needs more than one per woman); scores are worked out
    # once per mentor, then repeated.
    column_of = np.repeat(np.arange(len(mentors)), np.minimum(pool.free_places()[mentors], len(women)))
    places = mentors[column_of]
    scores = score_matrix(needs.select(women), pool.select(mentors), weights)[:, column_of]
    allowed = ok[np.ix_(women, places)]
    weight = np.where(allowed, scores, -np.inf)
    return AssignmentProblem(women=women, places=places, allowed=allowed, scores=scores, weight=weight)


def batch_assign(
    needs: MenteeNeeds, pool: MentorPool, weights: Weights, constraints: Sequence[PairConstraint]
) -> list[Proposal]:
    """Propose at most one mentor per woman, within each mentor's free places, feasible pairs only.

    Fairness rule: when there are fewer places than women, the longest-waiting women who can
    be matched at all are placed first; among those, the total score is as high as possible.
    Equal waits are ordered by mentee id. Proposals come longest wait first.
    """
    problem = assignment_problem(needs, pool, weights, constraints)
    if problem.weight.size == 0:
        return []
    rows, cols = linear_sum_assignment(problem.weight, maximize=True)
    if len(rows) != len(problem.women) or not problem.allowed[rows, cols].all():
        raise RuntimeError("batch_assign: the solver left a chosen woman out or used a pair not allowed")
    by_wait = np.argsort(rows, kind="stable")  # problem rows are already in waiting order
    return [
        Proposal(
            mentee_id=int(needs.ids[problem.women[r]]),
            mentor_id=int(pool.ids[problem.places[c]]),
            mentee_row=int(problem.women[r]),
            mentor_row=int(problem.places[c]),
            score=float(problem.scores[r, c]),
        )
        for r, c in zip(rows[by_wait], cols[by_wait], strict=True)
    ]
