"""Session logs are read through their indexes, never a page of the table per log of the pair or
the mentor: a pair running for years has hundreds of logs, a long-serving mentor a thousand,
spread across a table of a million. The timeline's newest few come from the pair's index in its
order, its totals from that index alone, and the log form's defaults from her latest log's
entry. Committed data, so the table's statistics can be gathered (as its owner) before the
planner is asked."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.database_roles import connected_as
from mentoring.models import MentoringSession, MentoringSessionVersion
from mentoring.selectors.sessions import TIMELINE_SHOWN, log_defaults, pair_timeline, timeline_sessions
from tests.conftest import make_active_pair

pytestmark = pytest.mark.usefixtures("committed_db")

TIMELINE_INDEX = "session_pair_timeline"  # (pair, -held_on, -id) with the totals' columns
LATEST_INDEX = "session_by_mentor_latest"  # (logged_by, -created_at)
LOGS = 200


def vacuum(database_roles) -> None:
    """Statistics, and the visibility map an index-only scan needs, as a real table has them:
    only the table's owner may gather them."""
    with connected_as(connection, database_roles["owner"]), connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) mentoring_mentoringsession")
        cursor.execute("VACUUM (ANALYZE) mentoring_mentoringsessionversion")


RULED_OUT = ("enable_seqscan", "enable_sort", "enable_incremental_sort", "enable_bitmapscan")


def plan(sql: str, params=()) -> str:
    """The plan with a scan of the table, a sort, and a bitmap of matching rows ruled out: with
    so few rows the planner may as well read them all and sort; a real pair's logs, on a page of
    the table each, must come from an index in its order."""
    with connection.cursor() as cursor:
        for setting in RULED_OUT:
            cursor.execute(f"SET {setting} = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            for setting in RULED_OUT:
                cursor.execute(f"RESET {setting}")


def plans_of_session_reads(read, *, reading: str = "") -> list[str]:
    """The plan of each read of the sessions table that `read()` makes (of those whose SQL holds
    `reading`)."""
    with CaptureQueriesContext(connection) as queries:
        read()
    return [
        plan(query["sql"])
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and 'FROM "mentoring_mentoringsession"' in query["sql"]
        and reading in query["sql"]
    ]


@pytest.fixture
def years_of_logs(dee, dee_pair, ros, june, carys, database_roles):
    """Dee's logs of her pair with Amber, every few days for a year and a half, each with its
    first version; and among them, as in a real table, nine times as many of another pair's."""
    ros_pair = make_active_pair(june, ros, carys)
    today, now = timezone.localdate(), timezone.now()
    rows = []
    for n in range(LOGS):
        for pair, mentor in [(dee_pair, dee)] + [(ros_pair, ros)] * 9:
            rows.append(
                MentoringSession(
                    pair=pair,
                    hub_id=pair.hub_id,
                    logged_by=mentor,
                    held_on=today - timedelta(days=3 * n),
                    duration_minutes=45,
                    travel_minutes=15,
                    mode="phone",
                    created_at=now - timedelta(days=3 * n),
                )
            )
    sessions = MentoringSession.objects.bulk_create(rows)
    MentoringSessionVersion.objects.bulk_create(
        MentoringSessionVersion(session=session, version=1, fields=session.snapshot(), saved_by=session.logged_by)
        for session in sessions
    )
    vacuum(database_roles)
    return [session for session in sessions if session.pair_id == dee_pair.pk]


def test_a_pairs_newest_sessions_come_from_its_timeline_index_with_no_sort(carys, dee_pair, years_of_logs):
    today = timezone.localdate()
    shown = timeline_sessions(user=carys, pair=dee_pair)[:TIMELINE_SHOWN]
    explained = plan(*shown.query.sql_with_params())
    assert TIMELINE_INDEX in explained, explained
    assert "Sort" not in explained and "Aggregate" not in explained.split("SubPlan")[0], explained
    # Still the newest first, each saying how many versions are kept.
    rows = list(shown)
    assert [row.held_on for row in rows] == [today - timedelta(days=3 * n) for n in range(TIMELINE_SHOWN)]
    assert {row.version for row in rows} == {1}


def test_the_timelines_totals_are_read_from_its_index_alone(carys, dee_pair, years_of_logs):
    timeline = pair_timeline(user=carys, pair=dee_pair)
    assert (timeline.totals.sessions, timeline.totals.minutes) == (LOGS, LOGS * 60)
    [totals] = plans_of_session_reads(lambda: pair_timeline(user=carys, pair=dee_pair), reading="SUM(")
    assert f"Index Only Scan using {TIMELINE_INDEX}" in totals, totals


def test_the_log_forms_defaults_come_from_her_latest_logs_entry(dee, years_of_logs):
    [explained] = plans_of_session_reads(lambda: log_defaults(user=dee))
    assert LATEST_INDEX in explained and "Sort" not in explained, explained
    assert log_defaults(user=dee).mode == "phone"
