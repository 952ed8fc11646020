"""Reads of mentoring sessions: the log form's choices and defaults, a pair's timeline, a mentor's
own logs, and the coordinator's calls to talk and quiet pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentoring.models import (
    MentoringSession,
    MentorWellbeing,
    NeedArea,
    Pair,
    PairStatus,
    SessionMode,
    User,
)
from mentoring.policies.audit import access_log_reads
from mentoring.policies.pairs import pairs_visible_to
from mentoring.policies.sessions import sessions_visible_to
from mentoring.selectors.intake import needs_shared_with_mentor

DEFAULT_MINUTES = 60


@dataclass(frozen=True)
class LogDefaults:
    held_on: date
    duration_minutes: int
    mode: str


def log_defaults(*, user: User) -> LogDefaults:
    """Today, and the length and kind of the last session she logged (an hour in person at first)."""
    last = MentoringSession.objects.filter(logged_by=user).order_by("-created_at").values("duration_minutes", "mode")
    found = last.first()
    return LogDefaults(
        held_on=timezone.localdate(),
        duration_minutes=found["duration_minutes"] if found else DEFAULT_MINUTES,
        mode=found["mode"] if found else SessionMode.IN_PERSON,
    )


def need_area_choices(*, pair: Pair) -> list[tuple[int, str, bool]]:
    """(id, name, hers) for her organisation's active need areas, those she shared with her mentor
    first (by her priority): a mentor is shown only what the woman agreed to share."""
    areas = list(
        NeedArea.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id=pair.hub.organisation_id), is_active=True
        )
        .order_by("order", "name")
        .values_list("pk", "name")
    )
    hers = list(needs_shared_with_mentor(pair.mentee).values_list("need_area_id", flat=True))
    rank = {pk: index for index, pk in enumerate(hers)}
    first = sorted((area for area in areas if area[0] in rank), key=lambda area: rank[area[0]])
    return [(pk, name, True) for pk, name in first] + [(pk, name, False) for pk, name in areas if pk not in rank]


@dataclass(frozen=True)
class Totals:
    sessions: int
    minutes: int  # with travel time: what a volunteer gave

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def _totals(rows: QuerySet[MentoringSession]) -> Totals:
    found = rows.aggregate(
        n=Count("pk"), minutes=Coalesce(Sum("duration_minutes"), 0) + Coalesce(Sum("travel_minutes"), 0)
    )
    return Totals(sessions=found["n"], minutes=found["minutes"])


TIMELINE_SHOWN = 50


@dataclass(frozen=True)
class Timeline:
    sessions: Sequence[MentoringSession]
    totals: Totals
    need_area_names: dict[int, str]


def timeline_sessions(*, user: User, pair: Pair) -> QuerySet[MentoringSession]:
    """The pair's sessions she may read, newest first: read from the pair's timeline index, so the
    newest few of a years-long pair cost what they cost for a new one. A log's `version` says how
    many versions are kept."""
    return sessions_visible_to(user).filter(pair=pair).order_by("-held_on", "-pk")


def pair_timeline(*, user: User, pair: Pair, limit: int = TIMELINE_SHOWN) -> Timeline:
    """A pair's sessions, newest first, with its totals: the coordinator's picture of the pair.
    Every session shown is logged as read (her notes are on the page)."""
    sessions = list(timeline_sessions(user=user, pair=pair)[:limit])
    access_log_reads(user=user, records=[(session, pair.hub) for session in sessions], reason="The pair's sessions")
    area_ids = {pk for session in sessions for pk in session.need_areas}
    names = dict(NeedArea.objects.filter(pk__in=area_ids).values_list("pk", "name")) if area_ids else {}
    return Timeline(
        sessions=sessions, totals=_totals(sessions_visible_to(user).filter(pair=pair)), need_area_names=names
    )


MY_LOGS_SHOWN = 20


def my_sessions(*, user: User) -> list[MentoringSession]:
    """Her latest logs of the pairs she is in now, with the woman's chosen name (no notes). Logs of a
    pair paused or ended are hers in her hours, not here: she doesn't see the woman's name then."""
    return list(
        sessions_visible_to(user)
        .filter(logged_by=user)
        .select_related("pair__mentee")
        .only(
            "held_on",
            "duration_minutes",
            "mode",
            "travel_minutes",
            "created_at",
            "version",
            "pair__status",
            "pair__mentor_id",
            "pair__mentee__chosen_name",
        )
        .order_by("-held_on", "-pk")[:MY_LOGS_SHOWN]
    )


def talk_requests_waiting(*, user: User) -> QuerySet[MentoringSession]:
    """Mentors of her hubs who asked to talk and haven't been answered: the oldest first."""
    return (
        sessions_visible_to(user)
        .filter(talk_requested_at__isnull=False, talk_answered_at__isnull=True, wellbeing=MentorWellbeing.TALK_TODAY)
        .exclude(logged_by=user)
        .select_related("logged_by", "pair")
        .only("talk_requested_at", "held_on", "pair__mentor_id", "logged_by__display_name", "logged_by__email")
        .order_by("talk_requested_at", "pk")
    )


def quiet_pairs(*, user: User, today: date | None = None) -> QuerySet[Pair]:
    """Active pairs of her hubs with no session logged for the hub's quiet weeks (counted from the
    start for a pair with none yet): for a gentle check-in, never closed for it. Longest quiet first."""
    today = today or timezone.localdate()
    since = Coalesce(F("last_contact_on"), F("activated_on"))
    weeks = ExpressionWrapper(F("hub__quiet_after_weeks") * Value(timedelta(weeks=1)), output_field=DurationField())
    quiet_from = ExpressionWrapper(Value(today, output_field=DateField()) - weeks, output_field=DateField())
    return (
        pairs_visible_to(user)
        .filter(status=PairStatus.ACTIVE)
        .alias(since=since)
        .filter(since__lte=quiet_from)
        .order_by(since.asc(nulls_first=True), "pk")
    )
