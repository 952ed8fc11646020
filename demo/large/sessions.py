"""Large seed, session logs: a million of them across the benchmark's pairs, in bulk.

Each pair's logs are spread from the day it started to the day it ended (today, for a pair still
running), more for a longer pair, with the mix a network's mentors log: mostly meeting in person
or by phone, some video calls and messages, some appointments she was accompanied to; lengths,
kinds of place, activities and need areas (hers) to match; some travel and expenses; most left
the mentor fine, a few wanting a chat, fewer needing to talk that day (answered by her
coordinator), and a few waiting for that call now. Some running pairs have gone quiet: no log
for longer than their hub's quiet weeks.

The plain columns are made in the database, one INSERT … SELECT over generate_series. The
encrypted ones are real ciphertext, made by `mentoring.fields.encrypt`: notes, next steps and
what an expense was for come from a pool of texts encrypted once, each token reused (a million
encryptions of the same few hundred sentences would cost minutes and show nothing more); most
logs have no next steps, about half no notes. Every log has its first version, as the services
keep it: all its fields as saved, encrypted one by one (those differ per log), written by COPY.
Each pair's last contact is then its newest log's date, set in one UPDATE.

Idempotent: hubs with any session already are left alone.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from mentoring.fields import encrypt
from mentoring.models import (
    SESSION_FIELDS,
    Hub,
    Membership,
    Mentee,
    MentoringSession,
    MentoringSessionVersion,
    NeedRating,
    Pair,
    PairStatus,
    Role,
)

SESSIONS = 1_000_000
QUIET_SHARE = 0.06  # of running pairs: no log for longer than the hub's quiet weeks
TALK_WAITING = 4  # mentors who asked to talk today, not called back yet
VERSION_BATCH = 20_000

# Fictional, and never naming anyone: a mentor's few lines after a session.
NOTE_OPENINGS = [
    "We met at the usual place and she was in good spirits.",
    "She was tired today but wanted to keep our time.",
    "A quieter session than last week.",
    "She had a lot on her mind and mostly wanted to talk.",
    "She arrived early and had made a list.",
    "A short catch-up; she had an appointment after.",
    "She seemed more settled than when we last met.",
    "She was anxious about the week ahead.",
    "Good session: she led most of it.",
    "She brought the letters she had been worried about.",
    "We walked instead of sitting down, which she preferred.",
    "She laughed a lot today, which was good to see.",
    "She was low at the start and brighter by the end.",
    "We kept it light today, as she asked.",
    "She told me about her week in detail.",
    "She wanted help with one thing only, and we stuck to it.",
    "She had good news to share.",
    "A difficult week for her; we took it slowly.",
    "She said she nearly cancelled but was glad she came.",
    "She is getting more confident about speaking up.",
]
NOTE_MIDDLES = [
    "We went through the housing letter together and wrote down her questions.",
    "We looked at bus times for her new appointment.",
    "We practised what she wants to say at the meeting.",
    "We filled in the form for the school uniform grant.",
    "We talked about her goals for the next month.",
    "We found the opening times for the food bank.",
    "We looked at courses at the college together.",
    "We went over her budget for the next few weeks.",
    "We talked through how the last appointment went.",
    "We made a plan for the phone call she has been putting off.",
    "We looked at volunteering she might enjoy.",
    "We talked about how she is sleeping.",
    "We checked what her benefit letter actually says.",
    "We wrote a short email to her support worker.",
    "",
]
NOTE_ENDINGS = [
    "She wants to meet at the same time next week.",
    "She will text if anything changes.",
    "She felt better for having a plan.",
    "",
    "She asked if we could meet somewhere quieter next time.",
    "Next time she wants to talk about work.",
]
NEXT_STEPS = [
    "She calls the housing office on Monday; I'll check in on Tuesday.",
    "Find out about the college open day.",
    "She brings the letter next time.",
    "Meet at the same time next week.",
    "I'll look up the opening times before we meet.",
    "She will try the bus route on her own this week.",
    "Ask the coordinator about a referral to the debt advice service.",
    "Go together to the appointment on Thursday.",
    "She writes down three things that went well this week.",
    "Check whether the form was received.",
    "She will ring her GP about the repeat prescription.",
    "Talk about the job fair next time.",
]
EXPENSES = [
    "Two coffees at the café",
    "Tea and cake while we talked",
    "Her bus fare to the appointment",
    "A day ticket for her",
    "Printing the forms",
    "Parking at the hospital",
    "Lunch after the court hearing",
    "Stamps and envelopes for her letters",
]


@dataclass(frozen=True)
class PairPlan:
    """How many logs a pair gets, over which days, by whom."""

    pair_id: int
    hub_id: int
    logged_by_id: int
    coordinator_id: int | None
    start_on: date
    days: int  # the span, in days after start_on: logs fall on start_on .. start_on + days
    count: int
    areas: tuple[int, ...]
    running: bool  # still running and not quiet: its newest log is from the last week


def _notes_pool(rng: random.Random) -> list[str]:
    texts = {
        " ".join(part for part in (opening, middle, ending) if part)
        for opening in NOTE_OPENINGS
        for middle in NOTE_MIDDLES
        for ending in NOTE_ENDINGS
    }
    return rng.sample(sorted(texts), k=min(400, len(texts)))


def _spans(hubs: Sequence[Hub], rng: random.Random, today: date, quiet_share: float) -> list[tuple[Pair, date, date]]:
    """Each pair that ran, with the days its logs can fall on: from its start to its end (today
    for one still running). A running pair gone quiet stops some weeks past its hub's quiet weeks."""
    quiet_weeks = {hub.pk: hub.quiet_after_weeks for hub in hubs}
    pairs = (
        Pair.objects.filter(hub__in=hubs, activated_on__isnull=False)
        .select_related("mentor")
        .only("hub_id", "mentee_id", "status", "activated_on", "ended_on", "mentor__user_id")
        .order_by("pk")
    )
    spans = []
    for pair in pairs:
        assert pair.activated_on is not None
        end = min(pair.ended_on or today, today)
        if pair.status == PairStatus.ACTIVE and rng.random() < quiet_share:
            end = today - timedelta(weeks=quiet_weeks[pair.hub_id] + rng.randint(1, 8), days=rng.randint(0, 6))
        spans.append((pair, pair.activated_on, end))
    return spans


def _plans(hubs: Sequence[Hub], rng: random.Random, count: int, today: date, quiet_share: float) -> list[PairPlan]:
    """`count` logs shared out by each pair's length (and a pair's own pace), exactly."""
    spans = _spans(hubs, rng, today, quiet_share)
    coordinators: dict[int, int] = {}
    for hub_id, user_id in (
        Membership.objects.filter(hub__in=hubs, role=Role.COORDINATOR)
        .order_by("hub_id", "user__email")
        .values_list("hub_id", "user_id")
    ):
        coordinators.setdefault(hub_id, user_id)
    # What her latest assessment says she needs: what her sessions work on.
    latest = dict(
        Mentee.objects.filter(
            pk__in={pair.mentee_id for pair, _, _ in spans}, latest_assessment__isnull=False
        ).values_list("latest_assessment_id", "pk")
    )
    areas: dict[int, list[int]] = {}
    for assessment_id, area_id in (
        NeedRating.objects.filter(assessment_id__in=latest)
        .order_by("need_area_id")
        .values_list("assessment_id", "need_area_id")
    ):
        areas.setdefault(latest[assessment_id], []).append(area_id)
    weights = [max(0, (end - start).days) * rng.uniform(0.5, 1.5) for _, start, end in spans]
    total = sum(weights)
    shares = [count * weight / total if total else 0 for weight in weights]
    counts = [int(share) for share in shares]
    for index in sorted(range(len(spans)), key=lambda i: shares[i] - counts[i], reverse=True)[: count - sum(counts)]:
        counts[index] += 1
    return [
        PairPlan(
            pair_id=pair.pk,
            hub_id=pair.hub_id,
            logged_by_id=pair.mentor.user_id,
            coordinator_id=coordinators.get(pair.hub_id),
            start_on=start,
            days=max(0, (end - start).days),
            count=n,
            areas=tuple(areas.get(pair.mentee_id, ())),
            running=pair.status == PairStatus.ACTIVE and end == today,
        )
        for (pair, start, end), n in zip(spans, counts, strict=True)
        if n
    ]


def _pool(texts: Sequence[str]) -> dict[str, str]:
    """Each text encrypted once: token → text, to write the tokens and read them back without
    decrypting."""
    return {encrypt(text): text for text in texts}


# One row per log: `r` is a row of draws, each in [0, 1), so each choice below is its own.
INSERT = """
INSERT INTO mentoring_mentoringsession (
    client_id, pair_id, hub_id, logged_by_id, held_on, duration_minutes, mode, place_type,
    need_areas, activities, notes, next_steps, wellbeing, travel_miles, travel_fare,
    travel_minutes, expenses_amount, expenses_what, version, created_at, updated_at,
    talk_requested_at, talk_answered_at, talk_answered_by_id
)
SELECT
    md5('session ' || s.pair_id || ' ' || s.i)::uuid,
    s.pair_id, s.hub_id, s.logged_by_id, s.held_on,
    CASE s.mode
        WHEN 'in_person' THEN 45 + 15 * floor(s.r[2] * 6)
        WHEN 'phone' THEN 10 + 5 * floor(s.r[2] * 8)
        WHEN 'video' THEN 30 + 15 * floor(s.r[2] * 3)
        WHEN 'messages' THEN 5 + 5 * floor(s.r[2] * 4)
        ELSE 60 + 30 * floor(s.r[2] * 7)
    END,
    s.mode,
    CASE
        WHEN s.mode = 'in_person' THEN (ARRAY['cafe', 'cafe', 'community', 'community', 'outdoors', 'hostel',
            'cafe', 'community', 'outdoors', 'other'])[1 + floor(s.r[3] * 10)]
        WHEN s.mode = 'accompanied' THEN CASE WHEN s.r[3] < 0.85 THEN 'services' ELSE 'other' END
        ELSE ''
    END,
    CASE
        WHEN cardinality(s.areas) = 0 OR s.r[4] < 0.15 THEN '{}'::integer[]
        WHEN s.r[4] < 0.6 OR s.area_a = s.area_b THEN ARRAY[s.area_a]
        ELSE ARRAY[LEAST(s.area_a, s.area_b), GREATEST(s.area_a, s.area_b)]
    END,
    string_to_array(CASE s.mode
        WHEN 'in_person' THEN (ARRAY['listening', 'goals,listening', 'listening,practical', 'practical',
            'signposting', 'social', 'goals', 'listening'])[1 + floor(s.r[5] * 8)]
        WHEN 'phone' THEN (ARRAY['listening', 'listening', 'signposting', 'goals,listening',
            'practical'])[1 + floor(s.r[5] * 5)]
        WHEN 'video' THEN (ARRAY['listening', 'goals', 'goals,listening'])[1 + floor(s.r[5] * 3)]
        WHEN 'messages' THEN (ARRAY['listening', 'practical', 'signposting'])[1 + floor(s.r[5] * 3)]
        ELSE (ARRAY['accompanying', 'accompanying,advocacy', 'accompanying,practical'])[1 + floor(s.r[5] * 3)]
    END, ','),
    CASE WHEN s.r[6] < 0.55 THEN (%(notes)s::text[])[
        1 + floor(s.r[7] * cardinality(%(notes)s::text[]))::integer
    ] END,
    CASE WHEN s.r[8] < 0.3 THEN (%(next)s::text[])[
        1 + floor(s.r[9] * cardinality(%(next)s::text[]))::integer
    ] END,
    s.wellbeing,
    CASE WHEN s.in_a_place AND s.r[10] < 0.3 THEN round((0.5 + s.r[11] * 24)::numeric, 1) END,
    CASE WHEN s.in_a_place AND s.r[10] BETWEEN 0.3 AND 0.45 THEN (1.5 + floor(s.r[11] * 20) * 0.5)::numeric(7, 2) END,
    CASE WHEN s.in_a_place AND s.r[10] < 0.45 THEN 10 + 5 * floor(s.r[12] * 12) END,
    CASE WHEN s.r[13] < 0.06 THEN (2 + floor(s.r[14] * 36) * 0.5)::numeric(7, 2) END,
    CASE WHEN s.r[13] < 0.06 THEN (%(expenses)s::text[])[
        1 + floor(s.r[15] * cardinality(%(expenses)s::text[]))::integer
    ] END,
    1, s.created_at, s.created_at,
    CASE WHEN s.wellbeing = 'talk_today' THEN s.created_at END,
    CASE WHEN s.wellbeing = 'talk_today' THEN LEAST(s.created_at + interval '2 hours', %(now)s) END,
    CASE WHEN s.wellbeing = 'talk_today' THEN s.coordinator_id END
FROM (
    SELECT d.*,
        d.mode IN ('in_person', 'accompanied') AS in_a_place,
        LEAST(
            (d.held_on + time '17:00' + (d.r[17] * 300) * interval '1 minute'
                + CASE WHEN d.r[17] < 0.2 THEN interval '1 day' ELSE interval '0' END) AT TIME ZONE %(zone)s,
            %(now)s
        ) AS created_at
    FROM (
        SELECT p.*, g.i, r.r,
            p.start_on + CASE
                -- A running pair's newest log is from the last week: it isn't quiet.
                WHEN p.running AND g.i = p.n THEN p.days - floor(r.r[1] * LEAST(p.days + 1, 7))::integer
                ELSE LEAST(p.days, floor((g.i - 1 + r.r[1]) * (p.days + 1) / p.n)::integer)
            END AS held_on,
            CASE
                WHEN r.r[16] < 0.45 THEN 'in_person'
                WHEN r.r[16] < 0.7 THEN 'phone'
                WHEN r.r[16] < 0.8 THEN 'video'
                WHEN r.r[16] < 0.9 THEN 'messages'
                ELSE 'accompanied'
            END AS mode,
            CASE WHEN r.r[18] < 0.9 THEN 'fine' WHEN r.r[18] < 0.996 THEN 'chat' ELSE 'talk_today' END AS wellbeing,
            p.areas[1 + floor(r.r[20] * 1000)::integer %% greatest(cardinality(p.areas), 1)] AS area_a,
            p.areas[1 + floor(r.r[19] * 1000)::integer %% greatest(cardinality(p.areas), 1)] AS area_b
        FROM session_plan AS p
        CROSS JOIN LATERAL generate_series(1, p.n) AS g (i)
        -- Referring to g.i makes the draws a row's own: an uncorrelated subquery would run once.
        CROSS JOIN LATERAL (SELECT ARRAY(SELECT random() + 0 * g.i FROM generate_series(1, 20)) AS r) AS r
        OFFSET 0
    ) AS d
) AS s
-- In the order they would have been logged: a pair's logs lie across the table, among every
-- other pair's, as in use (a pair's timeline reads pages all over it).
ORDER BY s.created_at, s.pair_id
"""


def seed_large_sessions(
    *, hubs: Sequence[Hub], rng: random.Random, count: int = SESSIONS, quiet_share: float = QUIET_SHARE
) -> int:
    """`count` session logs across these hubs' pairs, each with its first version, and each
    pair's last contact. Returns how many logs were made (none if the hubs have some already).

    Run inside `checked_per_statement` (the large seed's transaction): every row follows what
    it refers to."""
    if count < 1 or MentoringSession.objects.filter(hub__in=hubs).exists():
        return 0
    today = timezone.localdate()
    plans = _plans(hubs, rng, count, today, quiet_share)
    hub_ids = [hub.pk for hub in hubs]
    with connection.cursor() as cursor:
        notes, next_steps, expenses = _pool(_notes_pool(rng)), _pool(NEXT_STEPS), _pool(EXPENSES)
        cursor.execute(
            "CREATE TEMPORARY TABLE session_plan (pair_id bigint, hub_id bigint, logged_by_id bigint,"
            " coordinator_id bigint, start_on date, days integer, n integer, areas integer[], running boolean)"
            " ON COMMIT DROP"
        )
        cursor.execute(
            "INSERT INTO session_plan SELECT p, h, l, c, s, d, n, string_to_array(a, ',')::integer[], r"
            " FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::date[], %s::integer[],"
            " %s::integer[], %s::text[], %s::boolean[]) AS t (p, h, l, c, s, d, n, a, r)",
            [
                [plan.pair_id for plan in plans],
                [plan.hub_id for plan in plans],
                [plan.logged_by_id for plan in plans],
                [plan.coordinator_id for plan in plans],
                [plan.start_on for plan in plans],
                [plan.days for plan in plans],
                [plan.count for plan in plans],
                [",".join(map(str, plan.areas)) for plan in plans],
                [plan.running for plan in plans],
            ],
        )
        cursor.execute("SELECT setseed(%s)", [rng.uniform(-1, 1)])  # the same draws each run
        cursor.execute(
            INSERT,
            {
                "notes": list(notes),
                "next": list(next_steps),
                "expenses": list(expenses),
                "zone": timezone.get_current_timezone_name(),
                "now": timezone.now(),
            },
        )
        made = cursor.rowcount
        cursor.execute(f"ANALYZE {connection.ops.quote_name(MentoringSession._meta.db_table)}")
        _talk_waiting(cursor, plans, rng)
        _first_versions(cursor, hub_ids, {**notes, **next_steps, **expenses})
        cursor.execute(
            "UPDATE mentoring_pair AS p SET last_contact_on = s.newest FROM ("
            " SELECT pair_id, max(held_on) AS newest FROM mentoring_mentoringsession"
            " WHERE hub_id = ANY(%s) GROUP BY pair_id) AS s WHERE p.id = s.pair_id",
            [hub_ids],
        )
        for model in (MentoringSession, MentoringSessionVersion, Pair):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return made


def _talk_waiting(cursor: CursorWrapper, plans: Sequence[PairPlan], rng: random.Random) -> None:
    """A few mentors who asked to talk today and are waiting for the call: each the newest log of
    a pair still running and not quiet, logged this morning."""
    now = timezone.now()
    today = timezone.localdate(now)
    midnight = timezone.make_aware(datetime.combine(today, time()))
    running = [plan for plan in plans if plan.running]
    for number, plan in enumerate(rng.sample(running, k=min(TALK_WAITING, len(running))), start=1):
        asked = max(now - timedelta(hours=number), midnight)
        cursor.execute(
            "UPDATE mentoring_mentoringsession SET held_on = %s, wellbeing = 'talk_today', created_at = %s,"
            " updated_at = %s, talk_requested_at = %s, talk_answered_at = NULL, talk_answered_by_id = NULL"
            " WHERE id = (SELECT id FROM mentoring_mentoringsession WHERE pair_id = %s"
            " ORDER BY held_on DESC, id DESC LIMIT 1)",
            [today, asked, asked, asked, plan.pair_id],
        )


VERSION_COLUMNS = ("id", "logged_by_id", "created_at", *SESSION_FIELDS)


def _first_versions(cursor: CursorWrapper, hub_ids: list[int], texts: dict[str, str]) -> None:
    """Each log's version 1, as `session_log` keeps it: its fields, encrypted, by its mentor."""
    for rows in _batches(cursor, hub_ids):
        versions = []
        for row in rows:
            values = dict(zip(VERSION_COLUMNS, row, strict=True))
            for name in ("notes", "next_steps", "expenses_what"):
                values[name] = texts[values[name]] if values[name] else ""
            fields = {name: _plain(values[name]) for name in SESSION_FIELDS}
            versions.append(
                (values["id"], 1, encrypt(json.dumps(fields)), values["logged_by_id"], values["created_at"])
            )
        table = connection.ops.quote_name(MentoringSessionVersion._meta.db_table)
        with cursor.cursor.copy(
            f"COPY {table} (session_id, version, fields, saved_by_id, saved_at) FROM STDIN"
        ) as copy:
            for version in versions:
                copy.write_row(version)


def _batches(cursor: CursorWrapper, hub_ids: list[int]) -> Iterator[list[tuple[Any, ...]]]:
    """The new logs, a range of ids at a time (through the primary key, whatever the planner
    thinks of a table it hasn't counted yet)."""
    cursor.execute("SELECT min(id), max(id) FROM mentoring_mentoringsession WHERE hub_id = ANY(%s)", [hub_ids])
    first, last = cursor.fetchone()
    columns = ", ".join(VERSION_COLUMNS)
    for start in range(first or 0, (last or -1) + 1, VERSION_BATCH):
        cursor.execute(
            f"SELECT {columns} FROM mentoring_mentoringsession"  # noqa: S608 (our column names)
            " WHERE id BETWEEN %s AND %s AND hub_id = ANY(%s) ORDER BY id",
            [start, start + VERSION_BATCH - 1, hub_ids],
        )
        if rows := cursor.fetchall():
            yield rows


def _plain(value: object) -> object:
    """A field's value as `MentoringSession.snapshot` keeps it."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
