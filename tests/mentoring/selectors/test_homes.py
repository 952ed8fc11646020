"""mentoring.selectors.homes: the coordinator's reviews due are read through their own index."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.selectors.homes import coordinator_todo
from tests.factories import MenteeFactory

pytestmark = pytest.mark.django_db

REVIEW_DUE_INDEX = "mentee_review_due_idx"  # (hub, status, review_due_on)


def test_her_reviews_due_are_read_through_hub_status_and_date(carys, hub):
    """Most of a hub's women have ended; the home's "reviews due" must be read through the index
    that holds the status and the date, not by filtering all her hubs' women."""
    past = timezone.localdate() - timedelta(days=3)
    MenteeFactory.create_batch(3, hub=hub, status="waiting", review_due_on=past)
    MenteeFactory.create_batch(3, hub=hub, status="ended", review_due_on=past)
    with CaptureQueriesContext(connection) as queries:
        todo = coordinator_todo(user=carys)
    assert todo.her_reviews_due.total == 3
    (sql,) = [q["sql"] for q in queries.captured_queries if '"review_due_on" <=' in q["sql"]]
    with connection.cursor() as cursor:
        # A handful of rows would be read by a scan anyway: forbid it, so the plan shows which
        # index answers.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert REVIEW_DUE_INDEX in plan, plan
