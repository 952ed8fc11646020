"""Intake data for the large benchmark organisation (`seed_demo --size large`): bulk inserts.

The small demo goes through the services, one woman at a time; 20,000 women that way would
take far too long, so this writes the same rows in bulk and sets the same denormalised fields
the services keep on her row (`mentoring.services.intake.assessment_save`): her latest
completed assessment, how many need areas affect her now, and when her review is due.

Every woman without an assessment gets a completed intake in her (fictional) words, with
3 to 6 need areas, her consents and a status history. The status mix is a programme that
has run for a couple of years: most women matched, some waiting (for varied times), a few
being re-assessed or re-referred, some ended or withdrawn. Idempotent: a woman with any
assessment is left alone. Encrypted fields hold real text, so reading them costs real
decryption, as in use.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from demo.small.intake import HER_WORDS, SERVICES, STRENGTHS
from mentoring.models import (
    AffectsNow,
    Assessment,
    Consent,
    ConsentKind,
    ConsentMethod,
    Hub,
    MeetingMode,
    Membership,
    Mentee,
    MenteeStatus,
    MenteeStatusChange,
    NeedArea,
    NeedRating,
    Role,
)

# Share of the women in each status; "matched" takes whatever is left. Of 20,000: 500 waiting.
STATUS_MIX: tuple[tuple[str, float], ...] = (
    (MenteeStatus.WAITING, 0.025),
    (MenteeStatus.ASSESSING, 0.015),  # being re-assessed before a match
    (MenteeStatus.REFERRED, 0.01),  # re-referred after her mentoring ended
    (MenteeStatus.ENDED, 0.12),
    (MenteeStatus.WITHDRAWN, 0.02),
)
# How long ago her intake was, in weeks, by where she is now.
INTAKE_WEEKS_AGO: dict[str, tuple[int, int]] = {
    MenteeStatus.WAITING: (1, 30),
    MenteeStatus.ASSESSING: (20, 60),
    MenteeStatus.REFERRED: (60, 150),
    MenteeStatus.MATCHED: (4, 100),
    MenteeStatus.ENDED: (40, 150),
    MenteeStatus.WITHDRAWN: (6, 60),
}
INTERESTS = ["Gardening", "Music", "Walking by the sea", "Crafts", "Cooking", "Football", "Reading", "Swimming"]
LANGUAGES = ["Polish", "Urdu", "Arabic", "Romanian", "Tigrinya", "Punjabi"]
DAYS_AND_TIMES = ["Weekday mornings", "School hours", "Tuesday or Thursday afternoons", "Evenings after 6", "Weekends"]
REACHABLE = ["Town centre", "On the number 5 bus route", "Near the station", "Walking distance only", "Anywhere by bus"]
BATCH = 2000


@dataclass(frozen=True)
class Story:
    """One woman's path, decided before any row is written."""

    mentee_id: int
    status: str
    intake_on: date
    completed_at: datetime
    status_changed_at: datetime


def _status_plan(count: int, rng: random.Random) -> list[str]:
    plan: list[str] = []
    for status, share in STATUS_MIX:
        plan += [status] * min(count - len(plan), max(1, round(count * share)))
    plan += [MenteeStatus.MATCHED] * (count - len(plan))
    rng.shuffle(plan)
    return plan


def _at(day: date, rng: random.Random) -> datetime:
    """A moment in office hours on that day."""
    moment = datetime.combine(day, time(9, 30)) + timedelta(minutes=rng.randint(0, 420))
    return timezone.make_aware(moment)


def _story(mentee_id: int, status: str, rng: random.Random, now: datetime) -> Story:
    today = timezone.localdate(now)
    low, high = INTAKE_WEEKS_AGO[status]
    intake_on = today - timedelta(weeks=rng.randint(low, high), days=rng.randint(0, 6))
    completed_at = _at(intake_on, rng)
    after: dict[str, datetime] = {
        MenteeStatus.WAITING: completed_at,  # waiting since her intake was completed
        MenteeStatus.MATCHED: completed_at + timedelta(days=rng.randint(7, 90)),
        MenteeStatus.ENDED: completed_at + timedelta(weeks=rng.randint(30, 38)),
        MenteeStatus.WITHDRAWN: completed_at + timedelta(days=rng.randint(10, 70)),
        MenteeStatus.ASSESSING: now - timedelta(days=rng.randint(1, 28)),
        MenteeStatus.REFERRED: now - timedelta(days=rng.randint(1, 42)),
    }
    changed_at = after[status]
    return Story(mentee_id, status, intake_on, completed_at, min(changed_at, now - timedelta(hours=1)))


# Each status's path from the intake on, as (from, to, reason); the last step is where she is now.
PATHS: dict[str, tuple[tuple[str, str, str], ...]] = {
    MenteeStatus.WAITING: ((MenteeStatus.ASSESSING, MenteeStatus.WAITING, "Intake assessment complete"),),
    MenteeStatus.MATCHED: (
        (MenteeStatus.ASSESSING, MenteeStatus.WAITING, "Intake assessment complete"),
        (MenteeStatus.WAITING, MenteeStatus.MATCHED, "Matched with a mentor"),
    ),
    MenteeStatus.ENDED: (
        (MenteeStatus.ASSESSING, MenteeStatus.WAITING, "Intake assessment complete"),
        (MenteeStatus.WAITING, MenteeStatus.MATCHED, "Matched with a mentor"),
        (MenteeStatus.MATCHED, MenteeStatus.ENDED, "Mentoring ended as planned"),
    ),
    MenteeStatus.WITHDRAWN: (
        (MenteeStatus.ASSESSING, MenteeStatus.WAITING, "Intake assessment complete"),
        (MenteeStatus.WAITING, MenteeStatus.WITHDRAWN, "Moved out of the area"),
    ),
    MenteeStatus.ASSESSING: (
        (MenteeStatus.ASSESSING, MenteeStatus.WAITING, "Intake assessment complete"),
        (MenteeStatus.WAITING, MenteeStatus.ASSESSING, "Her needs changed: assessing again before a match"),
    ),
    MenteeStatus.REFERRED: (
        (MenteeStatus.ASSESSING, MenteeStatus.WAITING, "Intake assessment complete"),
        (MenteeStatus.WAITING, MenteeStatus.MATCHED, "Matched with a mentor"),
        (MenteeStatus.MATCHED, MenteeStatus.ENDED, "Mentoring ended as planned"),
        (MenteeStatus.ENDED, MenteeStatus.REFERRED, "Re-referred"),
    ),
}


def _status_changes(story: Story, coordinator_id: int | None) -> list[MenteeStatusChange]:
    start = story.completed_at - timedelta(minutes=50)
    rows = [
        MenteeStatusChange(
            mentee_id=story.mentee_id,
            from_status=MenteeStatus.REFERRED,
            to_status=MenteeStatus.ASSESSING,
            reason="Assessment started",
            changed_by_id=coordinator_id,
            changed_on=timezone.localdate(start),
            created_at=start,
        )
    ]
    steps = PATHS[story.status]
    for number, (from_status, to_status, reason) in enumerate(steps):
        if number == 0:
            at = story.completed_at
        elif number == len(steps) - 1:
            at = story.status_changed_at
        else:  # between the intake and where she is now
            at = story.completed_at + (story.status_changed_at - story.completed_at) * number / len(steps)
        rows.append(
            MenteeStatusChange(
                mentee_id=story.mentee_id,
                from_status=from_status,
                to_status=to_status,
                reason=reason,
                changed_by_id=coordinator_id,
                changed_on=timezone.localdate(at),
                created_at=at,
            )
        )
    return rows


def _meeting_modes(rng: random.Random) -> list[str]:
    return sorted(rng.sample(list(MeetingMode.values), k=rng.randint(1, 3)))


@transaction.atomic
def seed_large_intake(*, hubs: Sequence[Hub], rng: random.Random) -> int:
    """A completed intake (and consents, status history) for every woman in these hubs who has
    no assessment yet. Returns how many women it assessed."""
    now = timezone.now()
    hub_by_id = {hub.pk: hub for hub in hubs}
    org_ids = {hub.organisation_id for hub in hubs}
    areas = list(
        NeedArea.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=org_ids), is_active=True).order_by(
            "order", "pk"
        )
    )
    coordinators: dict[int, int] = {}
    for hub_id, user_id in (
        Membership.objects.filter(hub_id__in=hub_by_id, role=Role.COORDINATOR)
        .order_by("hub_id", "user__email")
        .values_list("hub_id", "user_id")
    ):
        coordinators.setdefault(hub_id, user_id)  # the first, by email: bench.coordinatorNN before bench@

    # Only ids and hubs: her encrypted fields are not needed here, so not decrypted.
    todo = list(
        Mentee.objects.filter(hub_id__in=hub_by_id)
        .filter(~Exists(Assessment.objects.filter(mentee_id=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "hub_id")
    )
    plan = _status_plan(len(todo), rng)
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        _seed_chunk(
            chunk, plan[start : start + BATCH], rng=rng, now=now, areas=areas, hubs=hub_by_id, coordinators=coordinators
        )
    return len(todo)


def _seed_chunk(
    chunk: list[tuple[int, int]],
    statuses: list[str],
    *,
    rng: random.Random,
    now: datetime,
    areas: list[NeedArea],
    hubs: dict[int, Hub],
    coordinators: dict[int, int],
) -> None:
    stories = [_story(mentee_id, status, rng, now) for (mentee_id, _), status in zip(chunk, statuses, strict=True)]
    shares = [rng.random() < 0.8 for _ in stories]  # most agree to share chosen needs with a mentor
    consents: list[Consent] = []
    assessments: list[Assessment] = []
    changes: list[MenteeStatusChange] = []
    for (mentee_id, hub_id), story, share in zip(chunk, stories, shares, strict=True):
        coordinator_id = coordinators.get(hub_id)
        told_at = story.completed_at - timedelta(hours=1)
        consents.append(
            Consent(
                mentee_id=mentee_id,
                kind=ConsentKind.DATA_PROCESSING,
                given=True,
                method=ConsentMethod.VERBAL,
                what_she_was_told="Who can see her record, why, and that she can change her mind at any time.",
                decided_on=story.intake_on,
                recorded_by_id=coordinator_id,
                recorded_at=told_at,
            )
        )
        if share:
            consents.append(
                Consent(
                    mentee_id=mentee_id,
                    kind=ConsentKind.SHARE_WITH_MENTOR,
                    given=True,
                    method=rng.choice([ConsentMethod.VERBAL, ConsentMethod.WRITTEN]),
                    what_she_was_told="Only the needs she ticks are shown to her mentor.",
                    decided_on=story.intake_on,
                    recorded_by_id=coordinator_id,
                    recorded_at=told_at + timedelta(minutes=2),
                )
            )
        assessments.append(
            Assessment(
                mentee_id=mentee_id,
                kind=Assessment.Kind.INTAKE,
                state=Assessment.State.COMPLETE,
                assessed_on=story.intake_on,
                strengths=rng.choice(STRENGTHS),
                interests=rng.choice(INTERESTS),
                mentor_language=rng.choice(LANGUAGES) if rng.random() < 0.08 else "",
                meeting_modes=_meeting_modes(rng),
                days_and_times=rng.choice(DAYS_AND_TIMES),
                reachable_area=rng.choice(REACHABLE),
                created_by_id=coordinator_id,
                created_at=story.completed_at - timedelta(minutes=50),
                completed_at=story.completed_at,
            )
        )
        changes += _status_changes(story, coordinator_id)
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    Assessment.objects.bulk_create(assessments, batch_size=BATCH)  # PostgreSQL returns the new ids

    ratings: list[NeedRating] = []
    through = Assessment.shared_experience_wanted.through
    wanted = []
    mentees: list[Mentee] = []
    for (mentee_id, hub_id), story, share, assessment in zip(chunk, stories, shares, assessments, strict=True):
        chosen = rng.sample(areas, k=rng.randint(3, 6))
        for priority, area in enumerate(chosen, start=1):
            words = HER_WORDS.get(area.slug) or ["It's hard to put into words, but it's there every day."]
            ratings.append(
                NeedRating(
                    assessment_id=assessment.pk,
                    need_area_id=area.pk,
                    affects_now=AffectsNow.YES,
                    her_words=rng.choice(words),
                    priority=priority,
                    self_rating=rng.randint(1, 6),
                    other_services=rng.choice(SERVICES),
                    share_with_mentor=share and priority <= rng.randint(1, 3),
                )
            )
        if rng.random() < 0.35:  # she would like a mentor who has lived through what matters most to her
            wanted.append(through(assessment_id=assessment.pk, needarea_id=chosen[0].pk))
        # What `assessment_save(complete=True)` keeps on her row, mirrored.
        mentees.append(
            Mentee(
                pk=mentee_id,
                status=story.status,
                status_changed_at=story.status_changed_at,
                latest_assessment_id=assessment.pk,
                need_count=len(chosen),  # every area chosen here affects her now
                review_due_on=story.intake_on + timedelta(weeks=hubs[hub_id].review_interval_weeks),
            )
        )
    NeedRating.objects.bulk_create(ratings, batch_size=BATCH)
    through.objects.bulk_create(wanted, batch_size=BATCH)
    MenteeStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    _update_mentees(mentees)


def _update_mentees(mentees: list[Mentee]) -> None:
    """One UPDATE from arrays: `bulk_update` builds a CASE per field per row, and spent more
    time compiling it than every insert here took together."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE mentoring_mentee AS m
            SET status = v.status, status_changed_at = v.status_changed_at,
                latest_assessment_id = v.latest_assessment_id, need_count = v.need_count,
                review_due_on = v.review_due_on
            FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[], %s::bigint[], %s::smallint[], %s::date[])
                AS v(id, status, status_changed_at, latest_assessment_id, need_count, review_due_on)
            WHERE m.id = v.id
            """,
            [
                [m.pk for m in mentees],
                [m.status for m in mentees],
                [m.status_changed_at for m in mentees],
                [m.latest_assessment_id for m in mentees],
                [m.need_count for m in mentees],
                [m.review_due_on for m in mentees],
            ],
        )
