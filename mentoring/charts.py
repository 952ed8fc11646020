"""A small server-rendered SVG of her own ratings: first and latest, per need area.

No JavaScript and no inline styles (CSP): colours come from classes in app.css. Every
chart is paired with a table holding the same figures, for screen readers and print.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mentoring.selectors.intake import RatingSeries

ROW_HEIGHT = 28
LABEL_WIDTH = 150
SCALE_WIDTH = 200  # 0..10
PADDING = 8


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: int
    first_x: float | None
    latest_x: float | None
    first: int | None
    latest: int | None

    @property
    def direction(self) -> str:
        if self.first is None or self.latest is None or self.first == self.latest:
            return "same"
        return "up" if self.latest > self.first else "down"


@dataclass(frozen=True)
class Chart:
    rows: list[ChartRow]
    width: int
    height: int
    scale_x0: int
    scale_x10: int
    ticks: list[tuple[int, float]]


def _x(value: int | None) -> float | None:
    return None if value is None else LABEL_WIDTH + PADDING + value * SCALE_WIDTH / 10


def rating_chart(series: list[RatingSeries]) -> Chart | None:
    rows = []
    for index, item in enumerate(series):
        rated = [value for _, value in item.points if value is not None]
        if not rated:
            continue
        first, latest = rated[0], rated[-1]
        rows.append(
            ChartRow(
                label=item.need_area if len(item.need_area) <= 22 else item.need_area[:21] + "…",
                y=PADDING + index * ROW_HEIGHT + ROW_HEIGHT // 2,
                first_x=_x(first),
                latest_x=_x(latest) if len(rated) > 1 else None,
                first=first,
                latest=latest if len(rated) > 1 else None,
            )
        )
    if not rows:
        return None
    # Re-pack rows without gaps left by unrated areas.
    rows = [
        ChartRow(r.label, PADDING + i * ROW_HEIGHT + ROW_HEIGHT // 2, r.first_x, r.latest_x, r.first, r.latest)
        for i, r in enumerate(rows)
    ]
    height = PADDING * 2 + len(rows) * ROW_HEIGHT + 16
    ticks = [(n, LABEL_WIDTH + PADDING + n * SCALE_WIDTH / 10) for n in range(0, 11, 2)]
    return Chart(
        rows=rows,
        width=LABEL_WIDTH + SCALE_WIDTH + PADDING * 3,
        height=height,
        scale_x0=LABEL_WIDTH + PADDING,
        scale_x10=LABEL_WIDTH + PADDING + SCALE_WIDTH,
        ticks=ticks,
    )
