"""A query-count guard for list and dashboard pages: the count must not grow with rows."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured)


def assert_queries_do_not_grow(client: Client, url: str, add_rows: Callable[[int], object], *, rows: int = 10) -> int:
    """With a few rows, then `rows` more, the page must make the same number of queries."""
    add_rows(2)  # a few rows first: an empty list can skip queries a full one needs
    client.get(url)  # warm per-process caches (content types, permissions)
    before = count_queries(client, url)
    add_rows(rows)
    after = count_queries(client, url)
    assert after == before, f"{url}: {before} queries with few rows, {after} after adding {rows}"
    return after
