"""Small-number suppression: the one function every figure that leaves the platform goes through.

A page or an export publishes *figures*. Each figure is a sum, with positive whole coefficients, of
underlying counts (*cells*): a hub's count of women is one cell, a row total the sum of its row's
cells, a grand total the sum of them all. `suppress` takes every figure of one page or one export in
one call, because a reader can combine figures from different tables, and decides what each shows:

- a figure from 1 to threshold - 1 (1–4 with the threshold of 5) is *primary*-suppressed: "<5";
- 0 is shown as 0. A zero names nobody, and hiding it would protect no one: a suppressed figure must
  range over 1–4 whatever the zeros around it show. Because zeros are always shown, a reader knows
  that a withheld figure is not 0;
- further figures are *secondary*-suppressed, shown as "[c]" (the GSS symbol for confidential),
  until no suppressed figure can be worked out from the rest.

"Worked out" is decided exactly, not by a rule of thumb. The reader is taken to know every published
value, that counts are whole numbers, that "<5" means 1–4, and that "[c]" means 5 or more (it is not
1–4, or it would say "<5", and not 0, or it would say 0; that is more than "0 or 5 or more", so the
audit assumes a stronger reader, never a weaker one). For each suppressed figure, the smallest and
largest value it can take under all of that is found by whole-number linear programs (HiGHS, through
scipy.optimize.milp), over every cell at once: a withheld total whose parts are published is worked out by
addition like anything else. What `suppress` returns meets two rules:

- every primary figure still ranges over all of 1–4, as far as any suppression can make it. When a
  total is itself 1–4 and has several non-zero parts, its "<5" alone tells the reader that they sum
  to at most 4, so each is at most 3 (two parts) or less. No choice of what else to hide undoes what
  the marks themselves say; there the rule is that the reader learns nothing more than if every
  non-zero figure were withheld;
- no suppressed figure is pinned to one value. A secondary figure that the rest pins down exactly is
  published instead: the reader can already work it out, so hiding it would only pretend.

Secondary suppression is chosen one primary figure at a time, in the order the figures are given.
While the reader can narrow it, a linear program finds the published figures whose withholding lets
it reach the missing end of 1–4 at the least total value (each figure costs its value, so small ones
go first, and ties are broken the same way on every run); they are withheld and the figure is
audited again. Withholding only ever widens what the reader cannot rule out, so a figure once safe
stays safe, and every round withholds at least one more figure: it ends, at worst with every
non-zero figure linked to it withheld, which is the best any suppression can do.

Cost: a program over the linked cells per check (about a millisecond for a small table), skipped
where a solution found earlier already proves the point. Tables that share no cell are solved apart.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from itertools import combinations
from typing import Any, TypeAlias

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

MIN_THRESHOLD = 5
SECONDARY_MARK = "[c]"
# Matrices up to this many entries are dense: for small tables numpy is far quicker than sparse.
_DENSE_LIMIT = 40_000
_TOLERANCE = 1e-6
_PUBLISHED, _PRIMARY, _SECONDARY = 0, 1, 2


class Status(StrEnum):
    PUBLISHED = "published"
    PRIMARY = "primary"  # from 1 to threshold - 1: "<5"
    SECONDARY = "secondary"  # withheld so that no primary figure can be worked out: "[c]"


_CODES = {Status.PUBLISHED: _PUBLISHED, Status.PRIMARY: _PRIMARY, Status.SECONDARY: _SECONDARY}


class Total(Enum):
    """Where a dimension is summed over, in the keys `table_figures` makes."""

    ALL = "all"

    def __repr__(self) -> str:
        return "TOTAL"


TOTAL = Total.ALL


@dataclass(frozen=True)
class Figure:
    """One published figure: the sum of its cells, each times its coefficient (a whole number, 1 or
    more). Cells are keys into the counts; two figures share a cell by using the same key."""

    key: Hashable
    cells: Mapping[Hashable, int]

    @classmethod
    def of_cell(cls, key: Hashable) -> Figure:
        return cls(key, {key: 1})

    @classmethod
    def sum_of(cls, key: Hashable, cells: Iterable[Hashable]) -> Figure:
        return cls(key, dict.fromkeys(cells, 1))


@dataclass(frozen=True)
class Shown:
    """What a reader sees of one figure. A withheld figure's value is not kept here at all."""

    status: Status
    text: str
    value: int | None = None


def table_figures(name: Hashable, cells: Iterable[tuple[Hashable, ...]]) -> list[Figure]:
    """Every cell of a table and every total over any set of its dimensions: for two dimensions the
    row, column and grand totals; for more, every subtotal too. Cell keys are tuples of one length,
    a coordinate per dimension; each figure's key is (name, *coordinates), with TOTAL where a
    dimension is summed over. Cells come first, then totals over one dimension, and so on."""
    cells = list(dict.fromkeys(cells))
    widths = {len(cell) for cell in cells}
    if len(widths) > 1:
        raise ValueError("every cell key of a table needs the same number of coordinates")
    width = widths.pop() if widths else 0
    figures: dict[Hashable, dict[Hashable, int]] = {}
    for size in range(width + 1):
        for summed in combinations(range(width), size):
            for cell in cells:
                key = (name, *(TOTAL if d in summed else coordinate for d, coordinate in enumerate(cell)))
                figures.setdefault(key, {})[cell] = 1
    return [Figure(key, parts) for key, parts in figures.items()]


def check_threshold(threshold: int) -> int:
    """A threshold is a whole number, never below 5."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < MIN_THRESHOLD:
        raise ValueError(f"the suppression threshold is a whole number of at least {MIN_THRESHOLD}, not {threshold!r}")
    return threshold


def suppress(
    counts: Mapping[Any, int], figures: Sequence[Figure], *, threshold: int = MIN_THRESHOLD
) -> dict[Hashable, Shown]:
    """What each figure shows, for all the figures of one page or export together (see the module's
    notes). `counts` has every cell any figure uses; ties are broken in the order of `figures`."""
    check_threshold(threshold)
    cells = _cell_order(figures)
    missing = [cell for cell in cells if cell not in counts]
    if missing:
        raise ValueError(f"no count for cells {missing[:5]!r}")
    truth = np.array([_count(counts[cell]) for cell in cells], dtype=np.int64)
    matrix = _matrix(figures, cells)
    values = matrix @ truth
    primary = (values >= 1) & (values < threshold)
    problem = _Problem(figures, matrix, values, np.where(primary, _PRIMARY, _PUBLISHED), threshold, truth)
    # A first pass settles what linear relaxations can. The rest are checked with whole numbers
    # once everything else is withheld, when solutions found since have often settled them.
    unsettled = [int(figure) for figure in np.flatnonzero(primary) if not problem.protect(int(figure), exact=False)]
    for figure in unsettled:
        problem.protect(figure, exact=True)
    problem.publish_pinned()
    return problem.shown()


def audit(
    figures: Sequence[Figure],
    shown: Mapping[Any, Shown],
    *,
    threshold: int = MIN_THRESHOLD,
    only: Iterable[Hashable] | None = None,
) -> dict[Hashable, tuple[int, int | None]]:
    """What a reader can work out from what is shown, and from nothing else: for each withheld
    figure (or each of `only`), the smallest and largest value it can take (None: no largest),
    exactly."""
    check_threshold(threshold)
    status = np.array([_CODES[shown[figure.key].status] for figure in figures], dtype=np.int64)
    unvalued = [
        figure.key
        for figure in figures
        if shown[figure.key].status is Status.PUBLISHED and shown[figure.key].value is None
    ]
    if unvalued:
        raise ValueError(f"published figures without a value: {unvalued[:5]!r}")
    values = np.array([shown[figure.key].value or 0 for figure in figures], dtype=np.int64)
    problem = _Problem(figures, _matrix(figures, _cell_order(figures)), values, status, threshold)
    ranges: dict[Hashable, tuple[int, int | None]] = {}
    wanted = None if only is None else set(only)
    for figure in (int(figure) for figure in np.flatnonzero(status != _PUBLISHED)):
        if wanted is not None and figures[figure].key not in wanted:
            continue
        primary = status[figure] == _PRIMARY
        # A solution found for another figure may already reach this one's bound from its mark.
        floor = 1 if primary else threshold
        if problem.known_to_reach(figure, floor, maximise=False):
            low: int | None = floor
        else:
            low = problem.extreme(figure, maximise=False)
        if primary and problem.known_to_reach(figure, threshold - 1, maximise=True):
            high: int | None = threshold - 1
        else:
            high = problem.extreme(figure, maximise=True)
        assert low is not None  # counts are never negative, so every figure has a smallest value
        ranges[figures[figure].key] = (low, high)
    return ranges


def _count(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ValueError(f"counts are whole numbers of 0 or more, not {value!r}")
    return int(value)


def _cell_order(figures: Sequence[Figure]) -> list[Hashable]:
    return list(dict.fromkeys(cell for figure in figures for cell in figure.cells))


def _matrix(figures: Sequence[Figure], cells: list[Hashable]) -> sparse.csr_array:
    """The figures' coefficients, a row per figure and a column per cell."""
    keys = [figure.key for figure in figures]
    if len(set(keys)) != len(keys):
        raise ValueError("figure keys must be unique")
    position = {cell: j for j, cell in enumerate(cells)}
    rows: list[int] = []
    columns: list[int] = []
    coefficients: list[int] = []
    for row, figure in enumerate(figures):
        for cell, coefficient in figure.cells.items():
            if isinstance(coefficient, bool) or not isinstance(coefficient, int) or coefficient < 1:
                raise ValueError(f"figure {figure.key!r}: coefficients are whole numbers of 1 or more")
            rows.append(row)
            columns.append(position[cell])
            coefficients.append(coefficient)
    shape = (len(figures), len(cells))
    return sparse.csr_array((coefficients, (rows, columns)), shape=shape, dtype=np.int64)


# --- matrices: dense for small tables, sparse for large ones ---------------------------------------

Matrix: TypeAlias = "np.ndarray | sparse.csr_array"


def _compact(matrix: sparse.csr_array) -> Matrix:
    return matrix.toarray() if matrix.shape[0] * matrix.shape[1] <= _DENSE_LIMIT else matrix


def _dense_row(matrix: Matrix, row: int) -> np.ndarray:
    return matrix[row] if isinstance(matrix, np.ndarray) else matrix[[row]].toarray()[0]


def _row_sizes(matrix: Matrix) -> np.ndarray:
    return (matrix != 0).sum(axis=1) if isinstance(matrix, np.ndarray) else np.diff(matrix.indptr)


def _blocks(blocks: list[list[Any]]) -> Matrix:
    """Blocks side by side and one under another; None is zeros (its shape taken from its row and
    column). Dense if every block is."""
    if all(block is None or isinstance(block, np.ndarray) for row in blocks for block in row):
        heights = [next(block.shape[0] for block in row if block is not None) for row in blocks]
        widths = [next(row[j].shape[1] for row in blocks if row[j] is not None) for j in range(len(blocks[0]))]
        return np.block(
            [
                [np.zeros((h, w)) if block is None else block for block, w in zip(row, widths, strict=True)]
                for row, h in zip(blocks, heights, strict=True)
            ]
        )
    return sparse.bmat(
        [[sparse.csr_array(block) if isinstance(block, np.ndarray) else block for block in row] for row in blocks],
        format="csr",
    )


def _single_cells(matrix: Matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows with one non-zero entry each: its column and its value."""
    if isinstance(matrix, np.ndarray):
        cells = np.argmax(matrix[rows] != 0, axis=1)
        return cells, matrix[rows, cells]
    starts = matrix.indptr[rows]
    return matrix.indices[starts], matrix.data[starts]


def _highs(objective: np.ndarray, matrix: Matrix, low: np.ndarray, high: np.ndarray, *, whole: bool) -> OptimizeResult:
    """Minimise objective·x subject to low <= matrix·x <= high row by row and x >= 0: with whole x
    (HiGHS's branch and bound, asked for the exact optimum rather than one within its default gap of
    0.01%) or not (its simplex, the linear relaxation)."""
    return milp(
        objective,
        constraints=LinearConstraint(matrix, low, high) if matrix.shape[0] else None,
        bounds=Bounds(0, np.inf),
        integrality=np.full(len(objective), 1 if whole else 0),
        options={"mip_rel_gap": 0} if whole else {},
    )


@dataclass
class _Program:
    """What the reader knows of one component as things stand, with the cells that published
    one-cell figures give away replaced by their values. What is left: the cells she does not know
    (`free`) and the figures that involve them."""

    free: np.ndarray  # positions among the component's cells
    fixed: np.ndarray  # every cell of the component: its value where given away, else 0
    matrix: Matrix  # the figures that involve a free cell, over the free cells
    low: np.ndarray  # each such figure's range as she knows it, less the given-away cells' part
    high: np.ndarray


@dataclass
class _Component:
    """Cells linked through figures, and those figures. Nothing else on the page tells a reader
    anything about these cells, so each component is solved apart."""

    cells: np.ndarray  # positions among the problem's cells
    figures: np.ndarray  # positions among the problem's figures
    matrix: Matrix  # the figures' coefficients over the cells
    # Whole-number solutions she cannot rule out, one per row: as things stand, and (with those)
    # with every non-zero figure withheld.
    witnesses: np.ndarray
    baseline_witnesses: np.ndarray
    programs: dict[tuple[bool, bytes], _Program]


class _Problem:
    """The figures of one call, what a reader knows of each (its status and, if published, its
    value), and the components she cannot combine with each other."""

    def __init__(
        self,
        figures: Sequence[Figure],
        matrix: sparse.csr_array,
        values: np.ndarray,
        status: np.ndarray,
        threshold: int,
        truth: np.ndarray | None = None,
    ):
        self.keys = [figure.key for figure in figures]
        self.threshold = threshold
        self.values = values
        self.status = status
        self._everything: np.ndarray | None = None
        # A published 0 says that every cell in it is 0 (coefficients are positive): those cells
        # are known for good and link nothing.
        zeros = np.flatnonzero((status == _PUBLISHED) & (values == 0))
        known = np.zeros(matrix.shape[1], bool)
        if len(zeros):
            known = np.asarray(matrix[zeros].sum(axis=0)).ravel() > 0
        live_cells = np.flatnonzero(~known)
        live = matrix[:, live_cells]
        figure_count = live.shape[0]
        graph = sparse.bmat([[None, live], [live.T, None]], format="csr")
        labels = sparse.csgraph.connected_components(graph, directed=False)[1] if graph.shape[0] else []
        self.components: list[_Component] = []
        self.component_of = np.full(figure_count, -1)
        self.row_of = np.full(figure_count, -1)
        for label in np.unique(labels[figure_count:]):
            cells = np.flatnonzero(labels[figure_count:] == label)
            rows = np.flatnonzero(labels[:figure_count] == label)
            witnesses = np.zeros((0, len(cells)), np.int64) if truth is None else truth[live_cells[cells]][None, :]
            self.component_of[rows] = len(self.components)
            self.row_of[rows] = np.arange(len(rows))
            component = _Component(live_cells[cells], rows, _compact(live[rows][:, cells]), witnesses, witnesses, {})
            self.components.append(component)

    # --- what the reader knows ------------------------------------------------------------------

    def _row(self, figure: int) -> tuple[_Component | None, np.ndarray]:
        """The figure's component and its coefficients over the component's cells. A figure in no
        component is made of cells a published 0 gives away: it is 0."""
        if self.component_of[figure] < 0:
            return None, np.zeros(0, np.int64)
        component = self.components[self.component_of[figure]]
        return component, _dense_row(component.matrix, self.row_of[figure])

    def _status(self, baseline: bool) -> np.ndarray:
        """What is withheld: as things stand, or (the baseline) every non-zero figure."""
        if not baseline:
            return self.status
        if self._everything is None:
            primary = self.status == _PRIMARY
            self._everything = np.where(self.values == 0, _PUBLISHED, np.where(primary, _PRIMARY, _SECONDARY))
        return self._everything

    def _marks(self, codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Her range for each figure: its value if published, 1 to threshold - 1 for "<5", and the
        threshold or more for "[c]"."""
        published = codes == _PUBLISHED
        low = np.where(published, values, np.where(codes == _PRIMARY, 1, self.threshold)).astype(float)
        high = np.where(published, values.astype(float), np.where(codes == _PRIMARY, self.threshold - 1, np.inf))
        return low, high

    def _program(self, component: _Component, baseline: bool) -> _Program:
        codes = self._status(baseline)[component.figures]
        cache_key = (baseline, codes.tobytes())
        if cache_key not in component.programs:
            if len(component.programs) > 4:
                component.programs.clear()
            component.programs[cache_key] = self._build_program(component, codes)
        return component.programs[cache_key]

    def _build_program(self, component: _Component, codes: np.ndarray) -> _Program:
        matrix = component.matrix
        values = self.values[component.figures]
        low, high = self._marks(codes, values)
        fixed = np.zeros(matrix.shape[1], np.int64)
        known = np.zeros(matrix.shape[1], bool)
        single = np.flatnonzero((codes == _PUBLISHED) & (_row_sizes(matrix) == 1))
        cells, coefficients = _single_cells(matrix, single)
        fixed[cells] = values[single] // coefficients
        known[cells] = True
        free = np.flatnonzero(~known)
        given_away = matrix @ fixed
        reduced = matrix[:, free]
        rows = np.flatnonzero(_row_sizes(reduced) > 0)
        return _Program(free, fixed, reduced[rows], low[rows] - given_away[rows], high[rows] - given_away[rows])

    def _pool(self, component: _Component, baseline: bool) -> np.ndarray:
        """Solutions found so far that she cannot rule out. Withholding more only widens what she
        cannot rule out, so they stay valid; and they hold for the baseline too."""
        if baseline:
            return np.vstack([component.witnesses, component.baseline_witnesses])
        return component.witnesses

    def _keep(self, component: _Component, program: _Program, x: np.ndarray, baseline: bool) -> bool:
        """Whether a solver's solution is whole and holds exactly. If so it is kept: it is the proof
        that she cannot rule out the values it takes."""
        cells = len(program.free)
        whole = np.round(x[:cells])
        if np.abs(x[:cells] - whole).max(initial=0) > _TOLERANCE:
            return False
        solution = program.fixed.copy()
        solution[program.free] = whole.astype(np.int64)
        reached = program.matrix @ solution[program.free]
        if not ((program.low <= reached) & (reached <= program.high)).all():
            return False
        if baseline:
            component.baseline_witnesses = np.vstack([component.baseline_witnesses, solution])
        else:
            component.witnesses = np.vstack([component.witnesses, solution])
        return True

    def known_to_reach(self, figure: int, value: int, *, maximise: bool, baseline: bool = False) -> bool:
        """Whether a solution found so far takes the figure to `value` or beyond."""
        component, row = self._row(figure)
        if component is None:
            return value <= 0 if maximise else value >= 0
        found = self._pool(component, baseline) @ row
        return bool((found >= value).any() if maximise else (found <= value).any())

    def extreme(self, figure: int, *, maximise: bool, baseline: bool = False) -> int | None:
        """The smallest (or largest) value she cannot rule out for the figure, exactly, by a
        whole-number program; None if there is no largest."""
        component, row = self._row(figure)
        if component is None:
            return 0
        program = self._program(component, baseline)
        objective = row[program.free].astype(float)
        offset = int(row @ program.fixed)
        if not objective.any():
            return offset
        if maximise:
            # A cell that only "[c]" figures hold (none published, none "<5") can grow without end,
            # and so can any figure made with it; every other cell is held by some figure's top.
            capped = program.matrix[np.flatnonzero(np.isfinite(program.high))]
            held = np.zeros(len(objective), bool)
            if capped.shape[0]:
                held = np.asarray((capped != 0).sum(axis=0)).ravel() > 0
            if (objective > 0)[~held].any():
                return None
        # Second to the figure, take primary figures to ends of 1-4 not yet reached, so that the
        # solution may settle their checks too. Each is held to 1-4, so this part of the objective
        # varies by less than 1 / epsilon: it cannot outweigh a step of 1 in the figure's own.
        push, pushed = self._push(component, baseline)
        epsilon = 1 / (pushed * (self.threshold - 2) + 2)
        combined = (-objective if maximise else objective) + epsilon * push[program.free]
        result = _highs(combined, program.matrix, program.low, program.high, whole=True)
        if maximise and result.status in (3, 4):  # unbounded: the problem is feasible, the truth solves it
            return None
        if result.status != 0 or not self._keep(component, program, result.x, baseline):
            raise RuntimeError(f"suppression audit failed: {result.message}")
        return offset + round(float(objective @ np.round(result.x)))

    def reaches(
        self, figure: int, value: int, *, maximise: bool, baseline: bool = False, exact: bool = True
    ) -> bool | None:
        """Whether she cannot rule out the figure being `value` or beyond it (above it if `maximise`).

        Cheapest first: a solution already found; then the linear relaxation, which allows at least
        what whole numbers do (so if it cannot reach `value`, nothing can) and whose solution, if
        whole, is proof; only then a whole-number program. Unless `exact`, None where only the
        relaxation reaches it."""
        if self.known_to_reach(figure, value, maximise=maximise, baseline=baseline):
            return True
        component, row = self._row(figure)
        if component is None:
            return False
        program = self._program(component, baseline)
        offset = float(row @ program.fixed)
        if not row[program.free].any():
            return offset >= value if maximise else offset <= value
        goal = np.array([value - offset])
        matrix = _blocks([[program.matrix], [row[program.free][None, :]]])
        low = np.concatenate([program.low, goal if maximise else [-np.inf]])
        high = np.concatenate([program.high, [np.inf] if maximise else goal])
        # Among the solutions that reach `value`, ask for one that also takes other primary figures to
        # ends of 1-4 not yet reached: it may settle their checks without a program of their own.
        push = self._push(component, baseline)[0][program.free]
        for objective, whole in ((push, False), (np.zeros(len(push)), True)):
            result = _highs(objective, matrix, low, high, whole=whole)
            if result.status == 2:
                return False  # infeasible: with fractions (so with whole numbers too), or whole numbers
            if result.status != 0:
                raise RuntimeError(f"suppression audit failed: {result.message}")
            if self._keep(component, program, result.x, baseline):
                return True
            if not exact:
                return None
        raise RuntimeError("suppression audit: the solver's whole-number solution does not hold exactly")

    def _push(self, component: _Component, baseline: bool) -> tuple[np.ndarray, int]:
        """An objective over the cells that takes primary figures to an end of 1-4 that no solution
        found so far has reached: down where none has reached 1, else up where none has reached
        threshold - 1. With it, how many figures it pushes."""
        primaries = np.flatnonzero(self.status[component.figures] == _PRIMARY)
        seen = component.matrix[primaries] @ self._pool(component, baseline).T  # each in each solution
        low = (seen <= 1).any(axis=1)
        high = (seen >= self.threshold - 1).any(axis=1)
        weights = np.zeros(len(component.figures))
        weights[primaries[~low]] = 1.0
        weights[primaries[low & ~high]] = -1.0
        return np.asarray(component.matrix.T @ weights, dtype=float), int(np.count_nonzero(weights))

    # --- choosing what to withhold ----------------------------------------------------------------

    def protect(self, figure: int, *, exact: bool) -> bool:
        """Withhold more until she cannot narrow this primary figure (see the module's notes). Unless
        `exact`, an end that only the linear relaxation reaches counts as reached for now, and False
        says the figure is to be checked again with whole numbers."""
        settled = True
        for maximise, target in ((False, 1), (True, self.threshold - 1)):
            goal = target
            while not (reached := self.reaches(figure, goal, maximise=maximise, exact=exact)):
                if reached is None:
                    settled = False
                    break
                if goal == target and not self.reaches(figure, target, maximise=maximise, baseline=True):
                    # The marks alone narrow it (see the module's notes): aim for what they allow.
                    best = self.extreme(figure, maximise=maximise, baseline=True)
                    assert best is not None  # a primary figure is at most threshold - 1
                    goal = best
                    continue
                more = self.cover(figure, goal) or self.nearest(figure)
                if not more:
                    break  # cannot happen: with everything linked withheld, she reaches the goal
                self.status[more] = _SECONDARY
        return settled

    def cover(self, figure: int, goal: int) -> list[int]:
        """The published figures whose withholding lets the figure be `goal`, at the least total
        value: a linear program that may move published figures off their values at a cost of their
        value per unit, holding every other figure to what its mark says and a moved one to "[c]"."""
        component, row = self._row(figure)
        assert component is not None
        codes = self.status[component.figures]
        values = self.values[component.figures]
        movable = np.flatnonzero((codes == _PUBLISHED) & (values > 0))
        if not len(movable):
            return []
        rows, cells = component.matrix.shape
        count = len(movable)
        moves = np.zeros((rows, count))
        moves[movable, np.arange(count)] = 1.0
        if not isinstance(component.matrix, np.ndarray):
            moves = sparse.csr_array(moves)
        matrix = _blocks(
            [
                [component.matrix, -moves, moves],  # each published figure, moved by up - down
                [component.matrix[movable], None, None],  # if moved, withheld: the threshold or more
                [row[None, :], None, None],  # the figure itself, at the goal
            ]
        )
        low, high = self._marks(codes, values)
        cost = values[movable].astype(float)
        result = _highs(
            np.concatenate([np.zeros(cells), cost, cost]),
            matrix,
            np.concatenate([low, np.full(count, float(self.threshold)), [goal]]),
            np.concatenate([high, np.full(count, np.inf), [goal]]),
            whole=False,
        )
        if result.status != 0:
            return []
        moved = movable[(result.x[cells : cells + count] + result.x[cells + count :]) > _TOLERANCE]
        # If whole, the program's cells are a solution she cannot rule out once those are withheld.
        solution = np.round(result.x[:cells])
        if np.abs(result.x[:cells] - solution).max(initial=0) <= _TOLERANCE:
            after = codes.copy()
            after[moved] = _SECONDARY
            low, high = self._marks(after, values)
            reached = component.matrix @ solution
            if ((low <= reached) & (reached <= high)).all():
                component.witnesses = np.vstack([component.witnesses, solution.astype(np.int64)])
        return [int(f) for f in component.figures[moved]]

    def nearest(self, figure: int) -> list[int]:
        """The smallest published non-zero figure sharing a figure with this one (else anywhere it is
        linked to), the first on a tie: the fallback when the program finds nothing to move."""
        component, own = self._row(figure)
        assert component is not None
        matrix = component.matrix
        touching = np.flatnonzero(matrix @ (own > 0).astype(float))
        reach = np.asarray(matrix[touching].sum(axis=0)).ravel() > 0
        sharing = (matrix @ reach.astype(float)) > 0
        codes = self.status[component.figures]
        values = self.values[component.figures]
        for candidates in (sharing, np.ones_like(sharing)):
            open_ = np.flatnonzero(candidates & (codes == _PUBLISHED) & (values > 0))
            if len(open_):
                return [int(component.figures[open_[np.lexsort((open_, values[open_]))[0]]])]
        return []

    def publish_pinned(self) -> None:
        """Publish the secondary figures she can work out exactly. Each is implied by the rest, so
        publishing them all at once changes nothing she can rule out."""
        pinned = [
            figure
            for figure in np.flatnonzero(self.status == _SECONDARY)
            if not self.reaches(int(figure), int(self.values[figure]) - 1, maximise=False)
            and not self.reaches(int(figure), int(self.values[figure]) + 1, maximise=True)
        ]
        self.status[pinned] = _PUBLISHED

    def shown(self) -> dict[Hashable, Shown]:
        marks = {_PRIMARY: f"<{self.threshold}", _SECONDARY: SECONDARY_MARK}
        result: dict[Hashable, Shown] = {}
        for key, code, value in zip(self.keys, self.status, self.values, strict=True):
            if code == _PUBLISHED:
                result[key] = Shown(Status.PUBLISHED, str(int(value)), int(value))
            else:
                result[key] = Shown(Status.PRIMARY if code == _PRIMARY else Status.SECONDARY, marks[int(code)])
        return result
