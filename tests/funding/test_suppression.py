import pytest

from funding.suppression import suppress


@pytest.mark.parametrize(
    ("counts", "shown", "total"),
    [
        ({"a": 10, "b": 20}, {"a": "10", "b": "20"}, "30"),
        ({"a": 0, "b": 7}, {"a": "0", "b": "7"}, "7"),
        # one small cell: the next-smallest is hidden too, or the total would give it away
        ({"a": 3, "b": 12, "c": 40}, {"a": "<5", "b": "<5", "c": "40"}, "55"),
        ({"a": 1, "b": 2, "c": 40}, {"a": "<5", "b": "<5", "c": "40"}, "43"),
        ({"a": 4}, {"a": "<5"}, "<5"),
        ({"a": 5, "b": 4}, {"a": "<5", "b": "<5"}, "9"),
    ],
)
def test_small_counts_are_suppressed(counts, shown, total):
    assert suppress(counts) == (shown, total)


def test_no_single_hidden_cell_can_be_recovered_from_the_total():
    shown, _total = suppress({"a": 2, "b": 30, "c": 31})
    assert sum(1 for value in shown.values() if value == "<5") >= 2
