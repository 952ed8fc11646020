"""Paging for filtered lists: count up to a cap, not every match."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

# A filtered list counts up to 20 pages of matches.
FILTERED_COUNT_CAP = 500


class CappedPaginator(Paginator):
    """Counts at most `cap` matches (then `capped` is true). A search or a filter narrows a
    list to read, not to total: counting every match of a loose filter over tens of thousands
    of women costs more than the page itself, and the totals for funders come from the
    dashboards. Pages stop at the cap; the list asks her to narrow the search to see more."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # COUNT over a LIMIT subquery, unordered: the scan stops once it has found one more
        # than the cap (kept in name order, it would sort every match first).
        return self.queryset.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
