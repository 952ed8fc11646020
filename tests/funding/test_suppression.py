"""funding.suppression: what a reader can work out from a suppressed page, checked exactly.

`audit` is the reader: it sees only what is shown (published values and marks) and finds, by
whole-number programs, the range each withheld figure can take. Its own answers are checked against
brute force on small tables below, so the property tests do not rest on the code they test.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding import suppression
from funding.suppression import (
    SECONDARY_MARK,
    TOTAL,
    Figure,
    Shown,
    Status,
    audit,
    suppress,
    table_figures,
)

PUBLISHED, PRIMARY, SECONDARY = Status.PUBLISHED, Status.PRIMARY, Status.SECONDARY


def hub_list(counts: dict[str, int]) -> list[Figure]:
    """The overview's shape: one figure per hub, and their total."""
    return [Figure.of_cell(hub) for hub in counts] + [Figure.sum_of("total", counts)]


def published(value: int) -> Shown:
    return Shown(PUBLISHED, str(value), value)


def value_of(figure: Figure, counts: dict[Hashable, int]) -> int:
    return sum(coefficient * counts[cell] for cell, coefficient in figure.cells.items())


# --- the demo's leak ----------------------------------------------------------------------------

DEMO = {"Kingsmere": 4, "Tamar Vale": 4, "Saltmarsh Bay": 6}


def test_the_old_heuristics_output_for_the_demo_gives_both_hidden_hubs_away():
    """What /insights/ showed: Kingsmere <5, Tamar Vale <5, Saltmarsh Bay 6, total 14. The hidden
    two sum to 8 and each is at most 4, so both are exactly 4, and the audit says so."""
    old = {
        "Kingsmere": Shown(PRIMARY, "<5"),
        "Tamar Vale": Shown(PRIMARY, "<5"),
        "Saltmarsh Bay": published(6),
        "total": published(14),
    }
    ranges = audit(hub_list(DEMO), old)
    assert ranges == {"Kingsmere": (4, 4), "Tamar Vale": (4, 4)}


def test_the_demo_figures_now_cannot_be_worked_out():
    shown = suppress(DEMO, hub_list(DEMO))
    assert {key: s.text for key, s in shown.items()} == {
        "Kingsmere": "<5",
        "Tamar Vale": "<5",
        "Saltmarsh Bay": SECONDARY_MARK,  # the smallest figure that frees them
        "total": "14",
    }
    ranges = audit(hub_list(DEMO), shown)
    assert ranges["Kingsmere"] == ranges["Tamar Vale"] == (1, 4)
    assert ranges["Saltmarsh Bay"] == (6, 12)


# --- primary and secondary suppression ------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "texts"),
    [
        ({"a": 10, "b": 20}, {"a": "10", "b": "20", "total": "30"}),
        # 0 names nobody: shown, and it gives nothing away
        ({"a": 0, "b": 7}, {"a": "0", "b": "7", "total": "7"}),
        # a total of 1-4 is suppressed like any figure
        ({"a": 4}, {"a": "<5", "total": "<5"}),
        ({"a": 0, "b": 3}, {"a": "0", "b": "<5", "total": "<5"}),
        # one small hub: hiding the smallest other figure frees it
        ({"a": 3, "b": 12, "c": 40}, {"a": "<5", "b": SECONDARY_MARK, "c": "40", "total": "55"}),
        # two small hubs beside a large one: the old rule hid nothing more (see below)
        ({"a": 1, "b": 2, "c": 40}, {"a": "<5", "b": "<5", "c": SECONDARY_MARK, "total": "43"}),
    ],
)
def test_what_a_hub_list_shows(counts, texts):
    shown = suppress(counts, hub_list(counts))
    assert {key: s.text for key, s in shown.items()} == texts


def test_two_small_hubs_beside_a_large_one_are_not_narrowed():
    """The old heuristic hid a second cell only when exactly one was small. With 1 and 2 beside 40
    and a total of 43, the two hidden ones sum to 3, so each is 1 or 2, and the reader knows it."""
    counts = {"a": 1, "b": 2, "c": 40}
    old = {"a": Shown(PRIMARY, "<5"), "b": Shown(PRIMARY, "<5"), "c": published(40), "total": published(43)}
    assert audit(hub_list(counts), old) == {"a": (1, 2), "b": (1, 2)}
    ranges = audit(hub_list(counts), suppress(counts, hub_list(counts)))
    assert ranges["a"] == ranges["b"] == (1, 4)


def test_a_withheld_total_with_published_parts_is_worked_out_by_addition():
    counts = {"a": 2, "b": 1}  # total 3: primary, and its parts are primary too
    figures = [Figure.of_cell("a"), Figure.of_cell("b"), Figure.sum_of("total", counts)]
    half_hidden = {"a": published(2), "b": published(1), "total": Shown(PRIMARY, "<5")}
    assert audit(figures, half_hidden) == {"total": (3, 3)}


def test_a_row_and_column_table_needs_a_rectangle_of_suppressed_cells():
    counts = {("north", "jan"): 3, ("north", "feb"): 20, ("south", "jan"): 30, ("south", "feb"): 40}
    figures = table_figures("mentees", counts)
    shown = suppress(counts, figures)
    assert shown["mentees", "north", "jan"].text == "<5"
    # row and column totals pin one hidden cell, so all four must go (the grand total can stay)
    hidden = {key for key, s in shown.items() if s.status is not PUBLISHED}
    assert hidden == {("mentees", *cell) for cell in counts}
    assert audit(figures, shown)["mentees", "north", "jan"] == (1, 4)
    assert shown["mentees", TOTAL, TOTAL].text == "93"


def test_a_figure_shown_twice_is_withheld_in_both_places():
    """A table with one month: each cell is its hub's total too. Hiding one copy and publishing the
    other would hide nothing, so both copies go together."""
    counts = {("a", "jan"): 3, ("b", "jan"): 9}
    figures = table_figures("t", counts)
    shown = suppress(counts, figures)
    assert shown["t", "b", "jan"].text == shown["t", "b", TOTAL].text == SECONDARY_MARK
    ranges = audit(figures, shown)
    assert ranges["t", "a", "jan"] == ranges["t", "a", TOTAL] == (1, 4)
    assert ranges["t", "b", "jan"] == (8, 11)


def test_a_withheld_figure_the_rest_pins_down_is_published_rather_than_pretend_hidden():
    """The last step of `suppress`, on a pattern where b is withheld but b + c and c are published.
    (Suppression's own choices rarely leave one: the property tests below check that none is left.)"""
    counts = {"a": 3, "b": 20, "c": 30}
    figures = [*hub_list(counts), Figure.sum_of("b and c", ["b", "c"])]
    matrix = suppression._matrix(figures, list(counts))
    values = matrix @ np.array(list(counts.values()))
    status = np.array([suppression._PRIMARY, suppression._SECONDARY, 0, 0, 0])
    problem = suppression._Problem(figures, matrix, values, status, 5, np.array(list(counts.values())))
    problem.publish_pinned()
    shown = problem.shown()
    assert shown["b"] == published(20)
    assert shown["a"].status is PRIMARY


def test_figures_in_different_tables_are_combined_so_they_are_suppressed_together():
    """Mentees per hub on one table, the total on another: each is safe alone (a table of one small
    hub and one large, with no total; a total of 23), but together 23 - 20 gives the small one."""
    counts = {"Kingsmere": 3, "Saltmarsh Bay": 20}
    per_hub = [Figure.of_cell(hub) for hub in counts]
    total = [Figure.sum_of("total", counts)]
    one_at_a_time = {**suppress(counts, per_hub), **suppress(counts, total)}
    assert audit(per_hub + total, one_at_a_time)["Kingsmere"] == (3, 3)
    together = suppress(counts, per_hub + total)
    assert audit(per_hub + total, together)["Kingsmere"] == (1, 4)


def test_what_the_marks_alone_say_is_the_floor():
    """A total of 1-4 with two non-zero parts: its "<5" tells the reader they sum to at most 4, so
    each is at most 3 whatever else is hidden. Suppression then reaches what withholding everything
    would: the reader learns nothing more."""
    counts = {"a": 1, "b": 2}
    figures = hub_list(counts)
    shown = suppress(counts, figures)
    assert {key: s.text for key, s in shown.items()} == {"a": "<5", "b": "<5", "total": "<5"}
    assert audit(figures, shown) == {"a": (1, 3), "b": (1, 3), "total": (2, 4)}


def test_a_threshold_above_five_suppresses_more_and_says_so():
    counts = {"a": 7, "b": 30, "c": 31}
    shown = suppress(counts, hub_list(counts), threshold=10)
    assert shown["a"].text == "<10"
    ranges = audit(hub_list(counts), shown, threshold=10)
    assert ranges["a"] == (1, 9)


@pytest.mark.parametrize("threshold", [4, 1, 0, -5, 5.0, True])
def test_a_threshold_below_five_is_refused(threshold):
    with pytest.raises(ValueError, match="at least 5"):
        suppress({"a": 3}, hub_list({"a": 3}), threshold=threshold)


@pytest.mark.parametrize(
    ("counts", "figures"),
    [
        ({"a": -1}, [Figure.of_cell("a")]),
        ({"a": 1.5}, [Figure.of_cell("a")]),
        ({"a": 1}, [Figure("x", {"a": -1})]),
        ({"a": 1}, [Figure("x", {"a": 0})]),
        ({}, [Figure.of_cell("a")]),
        ({"a": 1}, [Figure.of_cell("a"), Figure("a", {"a": 2})]),
    ],
)
def test_counts_and_figures_are_checked(counts, figures):
    with pytest.raises(ValueError):
        suppress(counts, figures)


def test_what_is_shown_keeps_no_withheld_value():
    shown = suppress(DEMO, hub_list(DEMO))
    assert all(s.value is None for s in shown.values() if s.status is not PUBLISHED)


# --- the reader's audit against brute force ------------------------------------------------------


def brute_force(figures: list[Figure], shown: dict[Hashable, Shown], *, threshold: int, limit: int):
    """Every table of whole numbers from 0 to `limit` consistent with what is shown; the range of
    each withheld figure over them."""
    cells = list(dict.fromkeys(cell for figure in figures for cell in figure.cells))
    grid = np.array(list(itertools.product(range(limit + 1), repeat=len(cells))))
    fits = np.ones(len(grid), bool)
    values: dict[Hashable, np.ndarray] = {}
    for figure in figures:
        value = np.zeros(len(grid), np.int64)
        for cell, coefficient in figure.cells.items():
            value += coefficient * grid[:, cells.index(cell)]
        values[figure.key] = value
        seen = shown[figure.key]
        if seen.status is PUBLISHED:
            fits &= value == seen.value
        elif seen.status is PRIMARY:
            fits &= (value >= 1) & (value < threshold)
        else:
            fits &= value >= threshold
    return {
        key: (int(values[key][fits].min()), int(values[key][fits].max()))
        for key, seen in shown.items()
        if seen.status is not PUBLISHED
    }


def some_pattern(data, figures: list[Figure], counts) -> dict[Hashable, Shown]:
    """Marks as suppression would set them for small figures and zeros, and any choice of which
    others to withhold: leaky patterns too, which the audit must see through."""
    shown = {}
    for figure in figures:
        value = value_of(figure, counts)
        if 1 <= value < 5:
            shown[figure.key] = Shown(PRIMARY, "<5")
        elif value >= 5 and data.draw(st.booleans()):
            shown[figure.key] = Shown(SECONDARY, SECONDARY_MARK)
        else:
            shown[figure.key] = published(value)
    return shown


few = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 6))


@settings(max_examples=50, deadline=None)
@given(st.data(), st.lists(few, min_size=1, max_size=3), st.lists(few, min_size=4, max_size=4))
def test_the_audit_agrees_with_brute_force(data, hubs, square):
    """On a hub list with its total and a two-by-two table with its totals, with every cell allowed
    to run to a little beyond the grand total: far enough for every bounded extreme."""
    hub_counts = {f"h{i}": n for i, n in enumerate(hubs)}
    square_counts = dict(zip(itertools.product("ab", "xy"), square, strict=True))
    for counts, figures in ((hub_counts, hub_list(hub_counts)), (square_counts, table_figures("t", square_counts))):
        shown = some_pattern(data, figures, counts)
        exact = audit(figures, shown)
        limit = max(sum(counts.values()), 5) + 5
        for key, (low, high) in brute_force(figures, shown, threshold=5, limit=limit).items():
            assert exact[key][0] == low, key
            if exact[key][1] is None:
                assert high >= limit, key  # no largest: brute force runs to its edge
            else:
                assert exact[key][1] == high, key


# --- the property: random tables never let the reader narrow a primary figure --------------------


def everything_withheld(figures: list[Figure], counts, threshold: int) -> dict[Hashable, Shown]:
    shown = {}
    for figure in figures:
        value = value_of(figure, counts)
        if value == 0:
            shown[figure.key] = published(0)
        else:
            shown[figure.key] = Shown(PRIMARY if value < threshold else SECONDARY, "")
    return shown


@st.composite
def tables(draw):
    """Hubs × months × categories with every total and subtotal; some dimensions of size one, so
    that a cell and its total coincide."""
    hubs, months, categories = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    cells = list(itertools.product(range(hubs), range(months), range(categories)))
    values = draw(
        st.lists(st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 25)), min_size=len(cells), max_size=len(cells))
    )
    threshold = draw(st.sampled_from([5, 5, 5, 6]))
    return dict(zip(cells, values, strict=True)), threshold


def check_marks(counts, figures, shown, threshold):
    """Every published figure shows its value; every mark tells the truth about it."""
    for figure in figures:
        value, seen = value_of(figure, counts), shown[figure.key]
        if seen.status is PUBLISHED:
            assert seen.value == value
            assert not 1 <= value < threshold
        elif seen.status is PRIMARY:
            assert 1 <= value < threshold and seen.text == f"<{threshold}" and seen.value is None
        else:
            assert value >= threshold and seen.text == SECONDARY_MARK and seen.value is None


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_random_tables_never_let_the_reader_narrow_a_primary_figure(table):
    counts, threshold = table
    figures = table_figures("t", counts)
    shown = suppress(counts, figures, threshold=threshold)
    check_marks(counts, figures, shown, threshold)
    primaries = [key for key, s in shown.items() if s.status is PRIMARY]
    ranges = audit(figures, shown, threshold=threshold, only=primaries)
    narrowed = [key for key in primaries if ranges[key] != (1, threshold - 1)]
    if narrowed:
        # Only as far as the marks alone say: the same as with every non-zero figure withheld.
        floor = audit(figures, everything_withheld(figures, counts, threshold), threshold=threshold, only=narrowed)
        for key in narrowed:
            assert ranges[key] == floor[key], f"{key} narrowed to {ranges[key]}, not {floor[key]}"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_random_tables_never_pin_a_withheld_figure_the_marks_do_not(table):
    """No secondary figure can be worked out exactly (one that can is published instead)."""
    counts, threshold = table
    figures = table_figures("t", counts)
    shown = suppress(counts, figures, threshold=threshold)
    secondaries = [key for key, s in shown.items() if s.status is SECONDARY]
    for key, (low, high) in audit(figures, shown, threshold=threshold, only=secondaries).items():
        assert high is None or low < high, f"{key} is pinned at {low}"
