"""The access log's queries are answered by its indexes: a page (newest first) and its dates by
(hub, -at), one record's entries by (object_type, object_id). Committed data, so the table's
statistics can be gathered (as its owner) before the planner is asked, as on a real log."""

from datetime import date

import pytest
from django.db import connection

from config.database_roles import connected_as
from mentoring.models import AccessLog
from safeguarding.selectors.access_log import AccessLogFilters, filtered_access_log
from tests.safeguarding.selectors.test_access_log import log

pytestmark = pytest.mark.usefixtures("committed_db")

HUB_INDEX = "mentoring_a_hub_id_0cd205_idx"  # (hub, -at, -id)
RECORD_INDEX = "mentoring_a_object__39b3e9_idx"  # (object_type, object_id)


def analyze(database_roles) -> None:
    """Statistics, as a real log has them: only the table's owner may gather them."""
    with connected_as(connection, database_roles["owner"]), connection.cursor() as cursor:
        cursor.execute("ANALYZE mentoring_accesslog")


def plan(query, *, ordered_by_the_index: bool = False) -> str:
    with connection.cursor() as cursor:
        # A handful of rows would be read by a scan anyway: forbid it, so the plan shows which
        # index answers.
        cursor.execute("SET enable_seqscan = off")
        if ordered_by_the_index:
            # With so few rows the planner may as well read the hub's foreign-key index and sort;
            # a real log's page, newest first, must come from an index already in that order,
            # with no sort (whole or incremental) after it.
            cursor.execute("SET enable_sort = off")
            cursor.execute("SET enable_incremental_sort = off")
        try:
            sql, params = query.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
            cursor.execute("RESET enable_incremental_sort")


def test_a_page_and_its_dates_are_answered_by_the_hub_index(maz, carys, amber):
    log(carys, amber, amber.hub)
    for filters in (AccessLogFilters(), AccessLogFilters(since=date(2026, 1, 1), until=date(2026, 12, 31))):
        assert HUB_INDEX in plan(filtered_access_log(user=maz, filters=filters)[:50], ordered_by_the_index=True)


def test_a_records_entries_are_answered_by_the_record_index(maz, carys, amber, june, database_roles):
    # Many entries for one woman, few for another: with the table's statistics known, her few
    # are found through the record index rather than by reading the hub's whole log.
    AccessLog.objects.bulk_create(
        AccessLog(user=carys, action="view", object_type="mentoring.mentee", object_id=str(amber.pk), hub=amber.hub)
        for _ in range(2000)
    )
    log(carys, june, june.hub)
    analyze(database_roles)
    filters = AccessLogFilters(object_type="mentoring.mentee", object_id=str(june.pk))
    assert RECORD_INDEX in plan(filtered_access_log(user=maz, filters=filters)[:50])
