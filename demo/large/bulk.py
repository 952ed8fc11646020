"""What the large seed's bulk writes share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def checked_per_statement() -> Iterator[None]:
    """A transaction whose foreign keys are checked as each statement ends, not at commit.

    Django declares them deferred, so PostgreSQL queues a check per reference until commit; and
    each history trigger (pgtrigger, pghistory) catches an error per row, reading a setting that
    isn't set, and PostgreSQL rescans every queued check each time one is caught. Tens of
    thousands of rows into a tracked table in one transaction then cost minutes, not seconds.
    So every write in here must follow what it refers to. Afterwards the checks are deferred
    again, as Django sets them, for the rest of any outer transaction (a test's)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
