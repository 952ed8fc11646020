"""Small-number suppression for anything a decision maker sees.

Counts from 1 to 4 could identify a woman in a small hub, so they show as "<5".
Where a total is shown, one suppressed cell could be worked out by subtraction,
so the next-smallest cell is suppressed too (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Mapping

THRESHOLD = 5
SUPPRESSED = "<5"


def suppress(counts: Mapping[str, int], *, with_total: bool = True) -> tuple[dict[str, str], str]:
    """Return the counts as display strings, and the total (suppressed if it is small itself)."""
    shown: dict[str, str] = {}
    hidden: set[str] = set()
    for key, value in counts.items():
        if 0 < value < THRESHOLD:
            hidden.add(key)
        shown[key] = str(value)
    if with_total and len(hidden) == 1:
        # Hide the smallest other non-zero cell too, or the total gives the hidden one away.
        others = sorted((value, key) for key, value in counts.items() if key not in hidden and value > 0)
        if others:
            hidden.add(others[0][1])
    for key in hidden:
        shown[key] = SUPPRESSED
    total = sum(counts.values())
    total_shown = SUPPRESSED if 0 < total < THRESHOLD else str(total)
    return shown, total_shown
