"""Her hubs' access log as people read it: who looked at which woman's record, when and why.

The log itself holds a record's type and id, never a name (a name is content). This page is
where ids become names again, for the one person whose work is to read the log: her hubs'
safeguarding lead. Names are read a page at a time, one query per kind of record on the page
(and one per kind for which of them she may open), never one per row.

Naming a record here is not a read of it, and writes no access-log entry. A safeguarding lead
already sees every name of her hubs' women on the lists (which are not logged row by row
either), and the entry says only that someone looked, not what the record holds: logging each
name shown would bury the reads the log is for under the lead's own reading of the log. What
she opens from here is fetched by the record's own policy, and logged there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from mentoring.models import (
    AccessLog,
    Assessment,
    ExpenseClaim,
    Goal,
    Mentee,
    Mentor,
    MentorApplicant,
    MentoringSession,
    Pair,
    RecordedRelationship,
    User,
)
from safeguarding.policies.access_log import (
    access_log_hub_ids,
    access_log_visible_to,
    full_records_she_may_open,
    mentees_she_may_open,
    mentors_she_may_open,
    pairs_she_may_open,
)

NO_LONGER_EXISTS = "A record that no longer exists"
OUTSIDE_HER_HUBS = "A record now outside your hubs"
UNKNOWN_KIND = "A record this page can't name"


@dataclass(frozen=True)
class NamedRecord:
    """A record the log names, as people say it, and where she may open it (if anywhere)."""

    object_type: str
    object_id: str
    name: str
    url_name: str = ""  # the route of its page, only where her own rights let her open it
    url_pk: int | None = None  # that route's id (her record's, for her assessments and goals)


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    who: str
    action: str  # its label
    record: NamedRecord
    reason: str


@dataclass(frozen=True)
class AccessLogFilters:
    """What she narrowed the log to: ids and choices only, never a name."""

    person: int | None = None
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None

    @property
    def record(self) -> tuple[str, str] | None:
        return (self.object_type, self.object_id) if self.object_type and self.object_id else None


def _person(display_name: str, email: str) -> str:
    return display_name or email


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


ROW_FIELDS = ("pk", "at", "user_id", "action", "object_type", "object_id", "reason")


def filtered_access_log(*, user: User, filters: AccessLogFilters) -> QuerySet[AccessLog, Any]:
    """Her hubs' entries matching the filters, newest first, as rows (not models): the reason is
    decrypted only for the page shown. The hub and time filters are answered by the (hub, -at, -id)
    index, a record's entries by the (object_type, object_id) one."""
    entries = access_log_visible_to(user)
    if filters.person is not None:
        entries = entries.filter(user_id=filters.person)
    if filters.record is not None:
        entries = entries.filter(object_type=filters.object_type, object_id=filters.object_id)
    if filters.action:
        entries = entries.filter(action=filters.action)
    # Whole days in her time zone: "to 3 May" includes all of 3 May.
    if filters.since is not None:
        entries = entries.filter(at__gte=_start_of(filters.since))
    if filters.until is not None:
        entries = entries.filter(at__lt=_start_of(filters.until + timedelta(days=1)))
    return entries.order_by("-at", "-pk").values_list(*ROW_FIELDS)


# --- naming records, a kind at a time ---

Namer = Callable[[User, list[int], set[int]], dict[int, NamedRecord]]


def _mentees(user: User, ids: list[int], hubs: set[int]) -> dict[int, NamedRecord]:
    rows = Mentee.objects.filter(pk__in=ids).order_by().values_list("pk", "chosen_name", "hub_id")
    openable = mentees_she_may_open(user, ids)
    return {
        pk: NamedRecord(
            "mentoring.mentee",
            str(pk),
            name if hub_id in hubs else OUTSIDE_HER_HUBS,
            url_name="mentee_detail" if pk in openable else "",
            url_pk=pk,
        )
        for pk, name, hub_id in rows
    }


def _mentors(user: User, ids: list[int], hubs: set[int]) -> dict[int, NamedRecord]:
    rows = Mentor.objects.filter(pk__in=ids).order_by().values_list("pk", "user__display_name", "user__email", "hub_id")
    openable = mentors_she_may_open(user, ids)
    return {
        pk: NamedRecord(
            "mentoring.mentor",
            str(pk),
            f"{_person(name, email)} (mentor)" if hub_id in hubs else OUTSIDE_HER_HUBS,
            url_name="mentor_detail" if pk in openable else "",
            url_pk=pk,
        )
        for pk, name, email, hub_id in rows
    }


def _pairs(user: User, ids: list[int], hubs: set[int]) -> dict[int, NamedRecord]:
    rows = (
        Pair.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "mentee__chosen_name", "mentor__user__display_name", "mentor__user__email", "hub_id")
    )
    openable = pairs_she_may_open(user, ids)
    return {
        pk: NamedRecord(
            "mentoring.pair",
            str(pk),
            f"{mentee} with {_person(name, email)}" if hub_id in hubs else OUTSIDE_HER_HUBS,
            url_name="pair_detail" if pk in openable else "",
            url_pk=pk,
        )
        for pk, mentee, name, email, hub_id in rows
    }


def _relationships(user: User, ids: list[int], hubs: set[int]) -> dict[int, NamedRecord]:
    # A recorded relationship has no page of its own: it is read on her record and the mentor's,
    # where coordinators do matching work.
    rows = (
        RecordedRelationship.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "mentee__chosen_name", "mentor__user__display_name", "mentor__user__email", "mentee__hub_id")
    )
    return {
        pk: NamedRecord(
            "mentoring.recordedrelationship",
            str(pk),
            f"Relationship of {mentee} with {_person(name, email)}" if hub_id in hubs else OUTSIDE_HER_HUBS,
        )
        for pk, mentee, name, email, hub_id in rows
    }


# A volunteer in recruitment has no account and is no safeguarding lead's record to read: the
# entry says that someone looked at one, not whose.
VOLUNTEER_RECRUITMENT = "A volunteer's recruitment record"


def _applicants(user: User, ids: list[int], hubs: set[int]) -> dict[int, NamedRecord]:
    rows = MentorApplicant.objects.filter(pk__in=ids).order_by().values_list("pk", "hub_id")
    return {
        pk: NamedRecord(
            "mentoring.mentorapplicant", str(pk), VOLUNTEER_RECRUITMENT if hub_id in hubs else OUTSIDE_HER_HUBS
        )
        for pk, hub_id in rows
    }


def _sessions(user: User, ids: list[int], hubs: set[int]) -> dict[int, NamedRecord]:
    """A session log: the day, the woman and her mentor; it is read on the pair's timeline."""
    rows = (
        MentoringSession.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "held_on",
            "pair_id",
            "pair__mentee__chosen_name",
            "logged_by__display_name",
            "logged_by__email",
            "hub_id",
        )
    )
    openable = pairs_she_may_open(user, [pair_id for _, _, pair_id, *_ in rows])
    return {
        pk: NamedRecord(
            "mentoring.mentoringsession",
            str(pk),
            f"Session of {mentee} with {_person(name, email)}, {held_on:%-d %b %Y}"
            if hub_id in hubs
            else OUTSIDE_HER_HUBS,
            url_name="pair_sessions" if pair_id in openable else "",
            url_pk=pair_id,
        )
        for pk, held_on, pair_id, mentee, name, email, hub_id in rows
    }


def _claims(user: User, ids: list[int], hubs: set[int]) -> dict[int, NamedRecord]:
    """A volunteer's expenses claim: whose, for which day's session (never the woman's name)."""
    rows = (
        ExpenseClaim.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "session__held_on", "mentor__user__display_name", "mentor__user__email", "hub_id")
    )
    return {
        pk: NamedRecord(
            "mentoring.expenseclaim",
            str(pk),
            f"Expenses claim of {_person(name, email)}, {held_on:%-d %b %Y}" if hub_id in hubs else OUTSIDE_HER_HUBS,
        )
        for pk, held_on, name, email, hub_id in rows
    }


def _intake(model: type[Assessment] | type[Goal], what: str, url_name: str) -> Namer:
    """Her assessments and goals: '<what> of <her chosen name>', opened on her record's tab."""
    label = model._meta.label_lower

    def name(user: User, ids: list[int], hubs: set[int]) -> dict[int, NamedRecord]:
        rows = list(
            model._default_manager.filter(pk__in=ids)
            .order_by()
            .values_list("pk", "mentee_id", "mentee__chosen_name", "mentee__hub_id")
        )
        openable = full_records_she_may_open(user, {mentee_id for _, mentee_id, _, _ in rows})
        return {
            pk: NamedRecord(
                label,
                str(pk),
                f"{what} of {mentee}" if hub_id in hubs else OUTSIDE_HER_HUBS,
                url_name=url_name if mentee_id in openable else "",
                url_pk=mentee_id,
            )
            for pk, mentee_id, mentee, hub_id in rows
        }

    return name


# Every kind of record the app writes entries for (the fetch helpers log a woman's record, a
# mentor's, a pair, a recorded relationship, a volunteer's recruitment record, a session log and
# an expenses claim; her
# assessments and goals are logged as her record today, and are named here for the day one is
# logged for itself).
NAMERS: dict[str, Namer] = {
    "mentoring.mentee": _mentees,
    "mentoring.mentor": _mentors,
    "mentoring.pair": _pairs,
    "mentoring.recordedrelationship": _relationships,
    "mentoring.mentorapplicant": _applicants,
    "mentoring.mentoringsession": _sessions,
    "mentoring.expenseclaim": _claims,
    "mentoring.assessment": _intake(Assessment, "Assessment", "mentee_assessments"),
    "mentoring.goal": _intake(Goal, "Goal", "mentee_goals"),
}


def name_records(*, user: User, records: Iterable[tuple[str, str]]) -> dict[tuple[str, str], NamedRecord]:
    """Each (object_type, object_id) as people name it; a record gone, of another hub or of a
    kind this page doesn't know is said so in words, never as a model label and an id."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id in records:
        wanted[object_type].add(object_id)
    hubs = set(access_log_hub_ids(user))
    named: dict[tuple[str, str], NamedRecord] = {}
    for object_type, object_ids in wanted.items():
        namer = NAMERS.get(object_type)
        ids = sorted({int(i) for i in object_ids if i.isdigit()})
        found = namer(user, ids, hubs) if namer and ids else {}
        for object_id in object_ids:
            record = found.get(int(object_id)) if object_id.isdigit() else None
            if record is None:
                record = NamedRecord(object_type, object_id, NO_LONGER_EXISTS if namer else UNKNOWN_KIND)
            named[(object_type, object_id)] = record
    return named


def named_entries(*, user: User, rows: Sequence[tuple[Any, ...]]) -> list[AccessEntry]:
    """Rows of `filtered_access_log` as the page shows them: the people read apart, by id
    (joining the whole people table before sorting the log costs more than a second small
    query), and each record named."""
    people = {
        pk: _person(display_name, email)
        for pk, display_name, email in User.objects.filter(pk__in={row[2] for row in rows})
        .order_by()
        .values_list("pk", "display_name", "email")
    }
    records = name_records(user=user, records=[(row[4], row[5]) for row in rows])
    labels = dict(AccessLog.Action.choices)
    return [
        AccessEntry(
            at=at,
            who=people[user_id],
            action=labels.get(action, action),
            record=records[(object_type, object_id)],
            reason=reason,
        )
        for _, at, user_id, action, object_type, object_id, reason in rows
    ]


SHOWN_ON_HOME = 10


def recent_access(*, user: User, limit: int = SHOWN_ON_HOME) -> list[AccessEntry]:
    """The latest entries of her hubs' access log, named: the home's short list."""
    rows = list(filtered_access_log(user=user, filters=AccessLogFilters())[:limit])
    return named_entries(user=user, rows=rows)


def people_for_filter(*, user: User, chosen: int | None = None) -> list[tuple[int, str]]:
    """The people she may narrow the log to, by name: everyone holding a role in her hubs, and
    the one already chosen if she has entries there (someone who has since left them)."""
    hub_ids = access_log_hub_ids(user)
    if not hub_ids:
        return []
    query = Q(memberships__hub_id__in=hub_ids)
    if chosen is not None:
        query |= Q(pk=chosen, pk__in=access_log_visible_to(user).filter(user_id=chosen).values("user_id")[:1])
    people = User.objects.filter(query).distinct().order_by("display_name", "email", "pk")
    return [(pk, _person(name, email)) for pk, name, email in people.values_list("pk", "display_name", "email")]
