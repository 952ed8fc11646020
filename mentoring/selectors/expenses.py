"""Reads of volunteers' claims and hours: her own claims, the coordinators' queue, finance's
export, and a mentor's volunteer hours (sessions and the travel to them)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentoring.models import (
    DECIDED_STATES,
    ClaimState,
    ExpenseClaim,
    ExpenseClaimEvent,
    MentoringSession,
    MileageRate,
    User,
    tax_year_start,
)
from mentoring.policies.audit import access_log_reads
from mentoring.policies.expenses import claims_visible_to, export_hub_ids
from mentoring.policies.people import coordinator_hub_ids, organisations_administered
from mentoring.selectors.sessions import Totals

QUEUE_SHOWN = 100


def _with_events(rows: QuerySet[ExpenseClaim]) -> QuerySet[ExpenseClaim]:
    return rows.prefetch_related(
        Prefetch("events", queryset=ExpenseClaimEvent.objects.select_related("by").order_by("at", "pk"))
    )


def my_claims(*, user: User) -> list[ExpenseClaim]:
    """Her own claims, newest session first, each with its steps: where each one is, who asked
    what. Nothing of the session but its date and her amounts."""
    rows = (
        claims_visible_to(user)
        .filter(mentor__user=user)
        .exclude(state=ClaimState.WITHDRAWN)
        .select_related("approved_by", "session__pair")
        .only(
            *(f.name for f in ExpenseClaim._meta.concrete_fields),
            "approved_by__display_name",
            "approved_by__email",
            "session__created_at",
            "session__pair",
            "session__pair__status",
        )
        .order_by("-held_on", "-pk")
    )
    return list(_with_events(rows)[:QUEUE_SHOWN])


@dataclass(frozen=True)
class Queue:
    claims: Sequence[ExpenseClaim]
    state: str
    counts: dict[str, int]
    more: bool


def claims_queue(*, user: User, state: str = ClaimState.SUBMITTED) -> Queue:
    """Her hubs' claims in one state, the oldest session first (the longest waiting to be paid),
    each with its mentor, what she wrote the expense was for, and its steps. Every claim shown is
    logged as read: the mentor's words are on the page."""
    hubs = coordinator_hub_ids(user)
    rows = claims_visible_to(user).filter(hub_id__in=hubs)
    counts = {value: 0 for value in ClaimState.values}
    for found, n in rows.order_by().values_list("state").annotate(n=Count("pk")):
        counts[found] = n
    shown = list(
        _with_events(
            rows.filter(state=state)
            .select_related("mentor__user", "hub", "approved_by", "paid_by", "session")
            .only(*_QUEUE_FIELDS)
            .order_by("held_on", "pk")
        )[: QUEUE_SHOWN + 1]
    )
    access_log_reads(user=user, records=[(claim, claim.hub) for claim in shown[:QUEUE_SHOWN]], reason="Claims queue")
    return Queue(claims=shown[:QUEUE_SHOWN], state=state, counts=counts, more=len(shown) > QUEUE_SHOWN)


_QUEUE_FIELDS = (
    *(f.name for f in ExpenseClaim._meta.concrete_fields),
    "mentor__user",
    "mentor__user__display_name",
    "mentor__user__email",
    "mentor__hub_id",
    "hub__name",
    "hub__organisation_id",
    "approved_by__display_name",
    "approved_by__email",
    "paid_by__display_name",
    "paid_by__email",
    "session__expenses_what",
    "session__held_on",
)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def claims_for_export(*, user: User, approved_from: date, approved_to: date) -> list[ExpenseClaim]:
    """Approved and paid claims of the hubs she coordinates, approved between the two dates
    (both included), in the order they were approved: an export a month at a time never misses a
    claim approved late for an old session, nor counts one twice."""
    return list(
        ExpenseClaim.objects.filter(
            hub_id__in=export_hub_ids(user),
            state__in=DECIDED_STATES,
            approved_at__gte=_day_start(approved_from),
            approved_at__lt=_day_start(approved_to + timedelta(days=1)),
        )
        .select_related("mentor__user", "hub", "approved_by", "paid_by", "session")
        .only(*_QUEUE_FIELDS)
        .order_by("approved_at", "pk")
    )


def _pence(value: Decimal | None) -> str:
    return f"{value.normalize():f}p" if value is not None else ""


def export_rows(claims: Sequence[ExpenseClaim]) -> Iterator[list[str]]:
    """Finance's columns, one row per claim: amounts, who and when; never the session's notes or
    the woman's name."""
    for claim in claims:
        rates = ""
        if claim.miles_at_after_rate and claim.miles_at_first_rate:
            rates = (
                f"{claim.miles_at_first_rate} at {_pence(claim.first_rate_pence)}; "
                f"{claim.miles_at_after_rate} at {_pence(claim.after_rate_pence)}"
            )
        elif claim.miles_at_after_rate:
            rates = _pence(claim.after_rate_pence)
        elif claim.miles:
            rates = _pence(claim.first_rate_pence)
        approved_on = timezone.localdate(claim.approved_at) if claim.approved_at else None
        yield [
            str(claim.pk),
            claim.mentor.name,
            claim.hub.name,
            claim.held_on.isoformat(),
            str(claim.miles),
            rates,
            str(claim.mileage_amount),
            str(claim.fares),
            str(claim.other_amount),
            claim.session.expenses_what or "" if claim.other_amount else "",
            str(claim.total),
            claim.get_state_display(),
            str(claim.approved_by) if claim.approved_by else "",
            approved_on.isoformat() if approved_on else "",
            claim.paid_on.isoformat() if claim.paid_on else "",
        ]


EXPORT_HEADER = [
    "Claim",
    "Mentor",
    "Hub",
    "Session date",
    "Miles",
    "Mileage rate",
    "Mileage amount",
    "Fares",
    "Other expenses",
    "Other expenses for",
    "Total",
    "State",
    "Approved by",
    "Approved on",
    "Paid on",
]


# Her own page also shows the last few months, closer to hand than the tax year.
RECENT_DAYS = 90


@dataclass(frozen=True)
class VolunteerHours:
    this_tax_year: Totals
    all_time: Totals
    last_days: Totals
    tax_year_from: date
    recent_from: date


def volunteer_hours(*, mentor_user_id: int, today: date | None = None) -> VolunteerHours:
    """The time she has given: her sessions' minutes and the travel to them, this tax year, in the
    last RECENT_DAYS days and since she started (every log of hers counts, whatever has become of
    the pair), in one query. For her own page and, once her record is fetched through its policy,
    her coordinators'."""
    today = today or timezone.localdate()
    since, recent_from = tax_year_start(today), today - timedelta(days=RECENT_DAYS)
    windows = {"all": Q(), "year": Q(held_on__gte=since), "recent": Q(held_on__gte=recent_from)}
    sums: dict[str, Any] = {}
    for key, window in windows.items():
        sums[f"{key}_n"] = Count("pk", filter=window)
        sums[f"{key}_minutes"] = Coalesce(Sum("duration_minutes", filter=window), 0) + Coalesce(
            Sum("travel_minutes", filter=window), 0
        )
    found = MentoringSession.objects.filter(logged_by_id=mentor_user_id).aggregate(**sums)

    def totals(key: str) -> Totals:
        return Totals(sessions=found[f"{key}_n"], minutes=found[f"{key}_minutes"])

    return VolunteerHours(
        this_tax_year=totals("year"),
        all_time=totals("all"),
        last_days=totals("recent"),
        tax_year_from=since,
        recent_from=recent_from,
    )


def mileage_rates_for(*, user: User) -> list[MileageRate]:
    """The rates of the organisations she administers, the newest start first."""
    return list(
        MileageRate.objects.filter(organisation_id__in=organisations_administered(user))
        .select_related("organisation", "set_by")
        .order_by("organisation__name", "-effective_from")
    )
